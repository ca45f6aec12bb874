using Fees.Domain.Amounts;
using Fees.Domain.Time;
using Stateless;

namespace Fees.Domain.Payments;

/// <summary>Where a <see cref="PaymentRequest"/> is in its life. Stored as the lower-case code.</summary>
public enum PaymentRequestStatus
{
    /// <summary><c>open</c>: the member's current code. At most one open request per member (a unique partial index).</summary>
    Open,
    /// <summary><c>paid</c>: a bank transfer carrying its reference settled it.</summary>
    Paid,
    /// <summary><c>superseded</c>: the member asked for another set of periods or the total changed; a newer request replaced it. Still payable.</summary>
    Superseded,
    /// <summary><c>expired</c>: it stayed open past <see cref="PaymentRequest.ExpiresAt"/> and was replaced. Still payable.</summary>
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
/// exactly the code the member scanned. A code once handed out stays payable whatever its status: a transfer carrying
/// its reference pays the member's outstanding dues.
/// </summary>
public sealed class PaymentRequest
{
    /// <summary>How long a dynamic code stays the member's current one before a new reference replaces it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private StateMachine<PaymentRequestStatus, Trigger>? _machine;

    private PaymentRequest()
    {
    }

    private enum Trigger
    {
        Settle,
        Supersede,
        Expire,
    }

    /// <summary>Drawn from the <c>payment_requests</c> identity sequence before the insert: the reference is computed from it.</summary>
    public long Id { get; private set; }
    public long MemberId { get; private set; }
    /// <summary>The organization the statements are owed to, whose account the code pays into.</summary>
    public long OrgId { get; private set; }
    /// <summary>Σ(amount − paid) of the statements.</summary>
    public Money Amount { get; private set; }
    /// <summary>The 10-character <c>DP…</c> token, unique.</summary>
    public string Reference { get; private set; } = "";
    /// <summary>The periods paid, ascending.</summary>
    public Period[] Periods { get; private set; } = [];
    /// <summary>VietQR tag 62.08, ≤ 25 ASCII characters, starting with the reference.</summary>
    public string Purpose { get; private set; } = "";
    public string BankBin { get; private set; } = "";
    public string AccountNumber { get; private set; } = "";
    public string AccountName { get; private set; } = "";
    /// <summary>The encoded VietQR string, as served.</summary>
    public string Payload { get; private set; } = "";
    public PaymentRequestStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    /// <summary>When it stopped being open (paid, superseded or expired).</summary>
    public DateTimeOffset? ClosedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public uint Version { get; private set; }

    private StateMachine<PaymentRequestStatus, Trigger> Machine => _machine ??= Configure(new(() => Status, s => Status = s));

    /// <summary>A new open request; the caller drew <paramref name="id"/> and built reference, purpose and payload from it.</summary>
    public static PaymentRequest Open(long id, long memberId, long orgId, Money amount, IEnumerable<Period> periods, string reference, string purpose,
        string bankBin, string accountNumber, string accountName, string payload, string createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (!amount.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A payment request is for a positive amount.");
        }
        var sorted = periods.Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A payment request pays at least one period.", nameof(periods));
        }
        return new PaymentRequest
        {
            Id = id, MemberId = memberId, OrgId = orgId, Amount = amount, Reference = reference, Periods = sorted, Purpose = purpose,
            BankBin = bankBin, AccountNumber = accountNumber, AccountName = accountName, Payload = payload,
            Status = PaymentRequestStatus.Open, CreatedAt = now, ExpiresAt = now + Lifetime, CreatedBy = createdBy,
        };
    }

    /// <summary>The statuses from which a transfer carrying the reference settles the request (its lifecycle's table).</summary>
    public static IReadOnlyList<PaymentRequestStatus> SettleableStatuses { get; } =
        Enum.GetValues<PaymentRequestStatus>().Where(s => Configure(new StateMachine<PaymentRequestStatus, Trigger>(s)).CanFire(Trigger.Settle)).ToList();

    public bool IsOpenAt(DateTimeOffset now) => Status == PaymentRequestStatus.Open && now < ExpiresAt;

    /// <summary>
    /// May this open request be shown again for what the member owes now? Only when it is still open and pays exactly
    /// the same periods, total and account: reloading the page never mints a new reference.
    /// </summary>
    public bool Fits(long orgId, Money amount, IReadOnlyList<Period> periods, string bankBin, string accountNumber, DateTimeOffset now) =>
        IsOpenAt(now) && OrgId == orgId && Amount == amount && Periods.SequenceEqual(periods) && BankBin == bankBin && AccountNumber == accountNumber;

    /// <summary>Another request replaces this open one: superseded while it was still current, expired when its time was over.</summary>
    public void Replace(DateTimeOffset now)
    {
        Machine.Fire(now < ExpiresAt ? Trigger.Supersede : Trigger.Expire);
        ClosedAt = now;
    }

    /// <summary>A transfer carrying this reference paid it.</summary>
    public void Settle(DateTimeOffset now)
    {
        Machine.Fire(Trigger.Settle);
        ClosedAt ??= now;
    }

    private static StateMachine<PaymentRequestStatus, Trigger> Configure(StateMachine<PaymentRequestStatus, Trigger> m)
    {
        m.Configure(PaymentRequestStatus.Open)
            .Permit(Trigger.Settle, PaymentRequestStatus.Paid)
            .Permit(Trigger.Supersede, PaymentRequestStatus.Superseded)
            .Permit(Trigger.Expire, PaymentRequestStatus.Expired);
        // A code handed out stays payable: a transfer with a superseded or expired reference still settles it.
        m.Configure(PaymentRequestStatus.Superseded).Permit(Trigger.Settle, PaymentRequestStatus.Paid);
        m.Configure(PaymentRequestStatus.Expired).Permit(Trigger.Settle, PaymentRequestStatus.Paid);
        m.Configure(PaymentRequestStatus.Paid);
        m.OnUnhandledTrigger((state, trigger) => throw new InvalidOperationException(
            $"A payment request in status '{state.ToCode()}' cannot take '{trigger}'."));
        return m;
    }
}
