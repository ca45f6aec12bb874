namespace Fees.Api.Payments;

/// <summary>Where a <see cref="PaymentRequest"/> is in its life. Stored as the lower-case code.</summary>
public enum PaymentRequestStatus
{
    /// <summary><c>open</c>: the code may be paid. At most one open request per member (a unique partial index).</summary>
    Open,
    /// <summary><c>paid</c>: a bank transfer settled it (set by reconciliation).</summary>
    Paid,
    /// <summary><c>superseded</c>: the member asked for another set of periods or the total changed; a newer request replaced it.</summary>
    Superseded,
    /// <summary><c>expired</c>: it stayed open past <see cref="PaymentRequest.ExpiresAt"/> and was replaced.</summary>
    Expired,
}

public static class PaymentRequestStatusCodes
{
    public static string ToCode(this PaymentRequestStatus status) => status switch
    {
        PaymentRequestStatus.Open => "open",
        PaymentRequestStatus.Paid => "paid",
        PaymentRequestStatus.Superseded => "superseded",
        PaymentRequestStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static PaymentRequestStatus Parse(string code) => code switch
    {
        "open" => PaymentRequestStatus.Open,
        "paid" => PaymentRequestStatus.Paid,
        "superseded" => PaymentRequestStatus.Superseded,
        "expired" => PaymentRequestStatus.Expired,
        _ => throw new InvalidOperationException($"Unknown payment request status '{code}'"),
    };
}

/// <summary>
/// One dynamic VietQR code handed to a member: the outstanding statements it pays (by period), their total, the
/// collecting organization's account and a reference derived from the id (<c>PaymentReference.NewRequest(id)</c>), so
/// two requests never share a reference. The payload is stored as served, so a transfer can always be traced back to
/// exactly the code the member scanned.
/// </summary>
public sealed class PaymentRequest
{
    /// <summary>Drawn from the <c>payment_request_ids</c> sequence before the insert: the reference is computed from it.</summary>
    public long Id { get; set; }
    public long MemberId { get; set; }
    /// <summary>The organization the statements are owed to, whose account the code pays into.</summary>
    public long OrgId { get; set; }
    /// <summary>Σ(amount − paid) of the statements, in đồng.</summary>
    public long Amount { get; set; }
    /// <summary>The 10-character <c>DP…</c> token, unique.</summary>
    public required string Reference { get; set; }
    /// <summary>First days of the periods paid, ascending.</summary>
    public required DateOnly[] Periods { get; set; }
    /// <summary>VietQR tag 62.08, ≤ 25 ASCII characters, starting with the reference.</summary>
    public required string Purpose { get; set; }
    public required string BankBin { get; set; }
    public required string AccountNumber { get; set; }
    public required string AccountName { get; set; }
    /// <summary>The encoded VietQR string, as served.</summary>
    public required string Payload { get; set; }
    public PaymentRequestStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When it stopped being open (paid, superseded or expired).</summary>
    public DateTimeOffset? ClosedAt { get; private set; }
    public required string CreatedBy { get; set; }
    public uint Version { get; set; }

    public bool IsOpenAt(DateTimeOffset now) => Status == PaymentRequestStatus.Open && now < ExpiresAt;

    /// <summary>Replaced by a request for another set of periods or another total.</summary>
    public void Supersede(DateTimeOffset now) => Close(PaymentRequestStatus.Superseded, now);

    /// <summary>Found open after its expiry; a new request takes its place.</summary>
    public void Expire(DateTimeOffset now) => Close(PaymentRequestStatus.Expired, now);

    private void Close(PaymentRequestStatus to, DateTimeOffset now)
    {
        if (Status != PaymentRequestStatus.Open)
        {
            throw new InvalidOperationException($"Payment request {Id} is {Status.ToCode()}, not open: it cannot become {to.ToCode()}.");
        }
        Status = to;
        ClosedAt = now;
    }
}
