namespace Fees.Persistence.Bank;

/// <summary>
/// One transaction a provider reported (a webhook or a history page), as the inbox stores it: normalized fields, and
/// the raw body and headers exactly as received (secrets in headers masked by the caller).
/// </summary>
/// <param name="Provider"><c>generic</c>, <c>sepay</c> or <c>casso</c>.</param>
/// <param name="Channel"><c>webhook</c> or <c>history</c>.</param>
/// <param name="Amount">Whole đồng, positive; <paramref name="Outgoing"/> says the direction.</param>
public sealed record InboxEntry(
    string Provider,
    string TransactionId,
    string Channel,
    string? BankReference,
    string? BankBin,
    string AccountNumber,
    string? SubAccount,
    bool Outgoing,
    long Amount,
    string Content,
    string? RawDescription,
    string? CounterpartyName,
    string? CounterpartyAccount,
    long? RunningBalance,
    DateTimeOffset BookedAt,
    byte[] RawBody,
    string RawHeadersJson);

/// <summary>
/// What became of one reported transaction: its inbox id, the receipt it made (none for an outgoing transfer or an
/// account we do not keep), and the status the contract answers (<c>matched</c>, <c>partially_matched</c>,
/// <c>unmatched</c>, <c>accepted</c> while a job still has it, <c>ignored</c> for what is never dues), and whether it was
/// a redelivery of something stored before.
/// </summary>
public sealed record InboxOutcome(long InboxId, long? ReceiptId, string Status, bool Duplicate)
{
    public const string Accepted = "accepted";
    public const string Ignored = "ignored";
}
