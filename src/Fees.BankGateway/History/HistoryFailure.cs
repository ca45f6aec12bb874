using Fees.BankGateway.Providers;

namespace Fees.BankGateway.History;

/// <summary>A failed (or partly failed) history call, as a value.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="StatusCode">The final HTTP status when a response was received, else <see langword="null"/>.</param>
/// <param name="Detail">English, for logs: never a token, a URL with its query, or personal data.</param>
/// <param name="FieldErrors">For <see cref="HistoryFailureKind.InvalidTransaction"/>, the bad fields by JSON path; else empty.</param>
public sealed record HistoryFailure(HistoryFailureKind Kind, int? StatusCode, string Detail, IReadOnlyList<FieldError> FieldErrors)
{
    internal static HistoryFailure Of(HistoryFailureKind kind, string detail, int? statusCode = null) => new(kind, statusCode, detail, []);
}
