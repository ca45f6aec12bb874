namespace FakeBank.Delivery;

/// <summary>One webhook attempt, as <c>GET /control/deliveries</c> shows it.</summary>
/// <param name="Id">Order in which attempts finished, from 1.</param>
/// <param name="TransactionId">The provider's own id of the transaction.</param>
/// <param name="Copy">Which copy of a duplicated delivery (from 1).</param>
/// <param name="Attempt">Attempt number within the copy (from 1).</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when nothing came back.</param>
/// <param name="Outcome"><c>delivered</c>, <c>failed</c>, <c>dropped</c> (fault: not sent) or <c>ignored</c> (fault: sent, answer ignored).</param>
/// <param name="StartedAt">UTC time the attempt started on the schedule's clock (real, or the manual clock), not the bank clock, so schedules can be checked.</param>
/// <param name="DurationMs">How long the attempt took on the same clock (zero on a manual clock unless it was advanced meanwhile).</param>
internal sealed record DeliveryAttempt(
    long Id,
    string Provider,
    string TransactionId,
    string BankReference,
    long Sequence,
    int Copy,
    int Attempt,
    string Url,
    int? StatusCode,
    string? Error,
    string Outcome,
    DateTimeOffset StartedAt,
    double DurationMs,
    IReadOnlyDictionary<string, string> RequestHeaders,
    string RequestBody,
    string? ResponseBody);
