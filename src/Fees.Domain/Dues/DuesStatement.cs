using System.Linq.Expressions;
using Fees.Domain.Amounts;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Dues;

/// <summary>
/// One member's dues for one period, owed to the organization the member belonged to on the period's first day.
/// Carries the rule that produced the amount, its Vietnamese explanation and the exact inputs used, so an auditor
/// can re-derive every amount. Unique on (member, period) among statements neither transferred nor cancelled:
/// generating twice creates it once, a transferred statement is continued by exactly one at the new organization, and
/// a statement cancelled by a decision is replaced by what the period's next generation issues.
/// </summary>
/// <remarks>
/// The status changes only through <see cref="DuesStatementLifecycle"/>: the intent methods here fire it, and the
/// set-based SQL that changes statuses in bulk takes its from/to codes from <see cref="DuesStatementLifecycle.Transitions"/>,
/// which the database checks against the same table (a trigger on <c>dues_statements</c>).
/// </remarks>
public sealed class DuesStatement
{
    private DuesStatementLifecycle? _lifecycle;

    private DuesStatement()
    {
    }

    public long Id { get; private set; }
    public long MemberId { get; private set; }
    public Period Period { get; private set; }
    /// <summary>The organization the dues are owed to (the one the member paid through on the period's first day).</summary>
    public long OrgId { get; private set; }
    public Money Amount { get; private set; }
    /// <summary>What has been allocated to this statement so far; never negative, never more than <see cref="Amount"/>.</summary>
    public Money Paid { get; private set; }
    public DuesStatementStatus Status { get; private set; }
    public string RuleId { get; private set; } = "";
    public string Explanation { get; private set; } = "";
    public string[] AppliedRuleIds { get; private set; } = [];
    /// <summary>The quote's inputs as they were when the amount was computed, as JSON (category, income, region, decision…).</summary>
    public string Inputs { get; private set; } = "{}";
    /// <summary>The statement at the member's former organization that this one continues (the member moved before paying).</summary>
    public long? TransferredFromId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    private DuesStatementLifecycle Lifecycle => _lifecycle ??= new DuesStatementLifecycle(() => Status, s => Status = s);

    /// <summary>What is still owed: amount − paid while the statement can take payment, otherwise nothing.</summary>
    public Money Outstanding => IsOutstandingStatus(Status) ? Amount - Paid : Money.Zero;

    /// <summary>The statuses in which a statement still waits for money (issued, partially paid).</summary>
    public static IReadOnlyList<DuesStatementStatus> OutstandingStatuses { get; } = [DuesStatementStatus.Issued, DuesStatementStatus.PartiallyPaid];

    public static bool IsOutstandingStatus(DuesStatementStatus status) => status is DuesStatementStatus.Issued or DuesStatementStatus.PartiallyPaid;

    /// <summary>
    /// "Still owes something", as a query filter (the one definition every list, page, code and job uses): an
    /// outstanding status and amount above paid.
    /// </summary>
    public static Expression<Func<DuesStatement, bool>> IsOutstanding { get; } =
        s => (s.Status == DuesStatementStatus.Issued || s.Status == DuesStatementStatus.PartiallyPaid) && s.Amount > s.Paid;

    /// <summary>A new statement from its quote, in the status the quote gives (<see cref="DuesStatementLifecycle.InitialStatus"/>).</summary>
    public static DuesStatement Issue(long memberId, Period period, long orgId, FeeQuote quote, string inputsJson, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentException.ThrowIfNullOrEmpty(inputsJson);
        return new DuesStatement
        {
            MemberId = memberId, Period = period, OrgId = orgId, Amount = quote.Amount, Paid = Money.Zero,
            Status = DuesStatementLifecycle.InitialStatus(quote), RuleId = quote.RuleId, Explanation = quote.Explanation,
            AppliedRuleIds = quote.AppliedRuleIds.ToArray(), Inputs = inputsJson, CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>
    /// Allocates <paramref name="amount"/> of a receipt to this statement: partially paid while below the amount, paid
    /// when it is reached. The caller allocates at most <see cref="Outstanding"/>; any excess is member credit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Nothing, or more than is outstanding.</exception>
    /// <exception cref="InvalidOperationException">The statement cannot take payments in its status.</exception>
    public void RecordPayment(Money amount, DateTimeOffset now)
    {
        if (!amount.IsPositive || amount > Amount - Paid)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, $"Statement {Id} owes {Amount - Paid}.");
        }
        var paid = Paid + amount;
        Lifecycle.RecordPayment(paid, Amount);
        Paid = paid;
        UpdatedAt = now;
    }

    /// <summary>The income data arrived: the statement takes the new quote's amount and becomes issued or exempt.</summary>
    public void Complete(FeeQuote quote, string inputsJson, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(quote);
        Lifecycle.DataArrived(quote);
        Amount = quote.Amount;
        RuleId = quote.RuleId;
        Explanation = quote.Explanation;
        AppliedRuleIds = quote.AppliedRuleIds.ToArray();
        Inputs = inputsJson;
        UpdatedAt = now;
    }

    /// <summary>
    /// The member moved to <paramref name="newOrgId"/> before paying in full: this statement becomes transferred (what
    /// was paid stays in this organization's history) and the returned statement carries the unpaid rest there.
    /// </summary>
    public DuesStatement TransferRest(long newOrgId, DateTimeOffset now)
    {
        if (newOrgId == OrgId)
        {
            throw new ArgumentException($"Statement {Id} is already owed to organization {newOrgId}.", nameof(newOrgId));
        }
        var rest = Amount - Paid;
        Lifecycle.Transfer();
        UpdatedAt = now;
        return new DuesStatement
        {
            MemberId = MemberId, Period = Period, OrgId = newOrgId, Amount = rest, Paid = Money.Zero, Status = DuesStatementStatus.Issued,
            RuleId = RuleId, Explanation = TransferredExplanation(Explanation, rest), AppliedRuleIds = AppliedRuleIds, Inputs = Inputs,
            TransferredFromId = Id, CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>
    /// Issued by mistake: a recorded decision cancels it while nothing is paid. The amount stays as it was issued (the
    /// record of the mistake); nothing is owed on it any more.
    /// </summary>
    /// <exception cref="InvalidOperationException">Something is paid, or the statement is not issued.</exception>
    public void Cancel(DateTimeOffset now)
    {
        if (Paid.IsPositive)
        {
            throw new InvalidOperationException($"Statement {Id} holds {Paid}: refund it before cancelling.");
        }
        Lifecycle.Cancel();
        UpdatedAt = now;
    }

    /// <summary>The member moved before the income data arrived: nothing is owed yet, so the statement simply moves with them.</summary>
    public void MoveWhileAwaitingData(long newOrgId, DateTimeOffset now)
    {
        if (Status != DuesStatementStatus.AwaitingData)
        {
            throw new InvalidOperationException($"Statement {Id} is {Status.ToCode()}: only a statement awaiting data moves as it is.");
        }
        OrgId = newOrgId;
        UpdatedAt = now;
    }

    /// <summary>Does this statement follow its member to <paramref name="newOrgId"/>? Unpaid (in part or in full) or awaiting data, and owed elsewhere.</summary>
    public bool FollowsMemberTo(long newOrgId) =>
        OrgId != newOrgId && (Status == DuesStatementStatus.AwaitingData || (Lifecycle.CanTransfer && Amount > Paid));

    /// <summary>The explanation a continued statement carries: the original one and what is left to pay.</summary>
    public static string TransferredExplanation(string original, Money rest) =>
        $"{original} — Chuyển sinh hoạt đảng: còn phải đóng {rest.ToDisplayString()}.";
}
