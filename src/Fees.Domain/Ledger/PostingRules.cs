using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Remittance;
using Fees.Domain.Time;

namespace Fees.Domain.Ledger;

/// <summary>A part of a receipt (or of suspense or credit) applied to one member's dues statement for a period.</summary>
public readonly record struct DuesAllocation(long MemberId, Period Period, Money Amount);

/// <summary>Where a treasurer's allocation or a refund takes money from: suspense, or one member's credit.</summary>
public readonly record struct Holding
{
    private Holding(long? memberId) => MemberId = memberId;

    /// <summary>Null for suspense; the member whose credit it is otherwise.</summary>
    public long? MemberId { get; }

    public static Holding Suspense => default;
    public static Holding CreditOf(long memberId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberId);
        return new Holding(memberId);
    }

    public AccountKey Account(long orgId) =>
        MemberId is { } m ? AccountKey.MemberCredit(orgId, m) : AccountKey.Suspense(orgId);
}

/// <summary>An amount on the account of one period.</summary>
public readonly record struct PeriodAmount(Period Period, Money Amount);

/// <summary>
/// What a close takes off the collection accounts: own dues collected and children's remittances received, per period
/// (the close's own period and any earlier one still holding money).
/// </summary>
public sealed record CloseSweep(IReadOnlyList<PeriodAmount> Own, IReadOnlyList<PeriodAmount> Received);

/// <summary>The two entries of one close: in the organization's own books, and in its parent's.</summary>
/// <param name="Own">Null when the organization collected nothing for the period (nothing to post).</param>
/// <param name="AtParent">Null for the centre, or when nothing is remitted.</param>
public sealed record CloseEntries(JournalEntry? Own, JournalEntry? AtParent);

/// <summary>
/// Pure posting rules: one business event in, the balanced entry (or entries) out. Every entry belongs to exactly one
/// organization's books, so an event that touches a child and its parent yields two entries with two sources.
/// </summary>
public static class PostingRules
{
    /// <summary>
    /// A bank credit on an organization's account: Dr Bank; Cr DuesCollected(period) per allocation; the remainder
    /// Cr MemberCredit(<paramref name="payerMemberId"/>) when the payer is known, else Cr Suspense. An unidentified
    /// receipt is no allocations and no payer: wholly to suspense.
    /// </summary>
    /// <exception cref="ArgumentException">Allocations exceed the amount, or an amount is not positive.</exception>
    public static JournalEntry BankReceipt(long orgId, string bankTransactionId, DateOnly bookingDate, Money amount,
        IReadOnlyList<DuesAllocation> allocations, long? payerMemberId, string memo)
    {
        RequirePositive(amount, nameof(amount));
        var lines = new List<PostingLine> { PostingLine.Debit(AccountKey.Bank(orgId), amount) };
        var allocated = AddDuesCredits(orgId, allocations, lines);
        if (allocated > amount)
        {
            throw new ArgumentException($"Allocations {allocated} exceed the receipt {amount}.", nameof(allocations));
        }
        var rest = amount - allocated;
        if (rest.IsPositive)
        {
            var holding = payerMemberId is { } m ? AccountKey.MemberCredit(orgId, m) : AccountKey.Suspense(orgId);
            lines.Add(PostingLine.Credit(holding, rest));
        }
        return JournalEntry.Create(new EntrySource(SourceKind.BankReceipt, bankTransactionId), bookingDate,
            Period.Containing(bookingDate), lines, memo);
    }

    /// <summary>
    /// Money already on the bank account applied to dues: Dr Suspense (a treasurer's allocation,
    /// <see cref="SourceKind.ManualAllocation"/>) or Dr MemberCredit (credit applied, <see cref="SourceKind.Allocation"/>);
    /// Cr DuesCollected(period) per allocation.
    /// </summary>
    public static JournalEntry Allocate(long orgId, string allocationId, DateOnly bookingDate, Holding from,
        IReadOnlyList<DuesAllocation> allocations, string memo)
    {
        var lines = new List<PostingLine>();
        var total = AddDuesCredits(orgId, allocations, lines);
        lines.Insert(0, PostingLine.Debit(from.Account(orgId), total));
        var kind = from.MemberId is null ? SourceKind.ManualAllocation : SourceKind.Allocation;
        return JournalEntry.Create(new EntrySource(kind, allocationId), bookingDate, Period.Containing(bookingDate), lines, memo);
    }

    /// <summary>
    /// A member paid the treasurer in cash: Dr Cash; Cr DuesCollected(period) per allocation; the rest Cr MemberCredit.
    /// </summary>
    public static JournalEntry CashReceipt(long orgId, string cashReceiptId, DateOnly bookingDate, Money amount,
        IReadOnlyList<DuesAllocation> allocations, long memberId, string memo)
    {
        RequirePositive(amount, nameof(amount));
        var lines = new List<PostingLine> { PostingLine.Debit(AccountKey.Cash(orgId), amount) };
        var allocated = AddDuesCredits(orgId, allocations, lines);
        if (allocated > amount)
        {
            throw new ArgumentException($"Allocations {allocated} exceed the cash {amount}.", nameof(allocations));
        }
        var rest = amount - allocated;
        if (rest.IsPositive)
        {
            lines.Add(PostingLine.Credit(AccountKey.MemberCredit(orgId, memberId), rest));
        }
        return JournalEntry.Create(new EntrySource(SourceKind.CashReceipt, cashReceiptId), bookingDate, Period.Containing(bookingDate), lines, memo);
    }

    /// <summary>
    /// The treasurer's cash reached the bank: the credit the bank reported (a receipt in suspense) is the deposit.
    /// Dr Suspense; Cr Cash.
    /// </summary>
    public static JournalEntry CashDeposit(long orgId, string depositId, DateOnly bookingDate, Money amount, string memo)
    {
        RequirePositive(amount, nameof(amount));
        return JournalEntry.Create(new EntrySource(SourceKind.CashDeposit, depositId), bookingDate, Period.Containing(bookingDate),
            [PostingLine.Debit(AccountKey.Suspense(orgId), amount), PostingLine.Credit(AccountKey.Cash(orgId), amount)], memo);
    }

    /// <summary>Paying suspense or a member's credit back out of the bank: Dr Suspense / Dr MemberCredit; Cr Bank.</summary>
    public static JournalEntry Refund(long orgId, string refundId, DateOnly bookingDate, Holding from, Money amount, string memo)
    {
        RequirePositive(amount, nameof(amount));
        return JournalEntry.Create(new EntrySource(SourceKind.Refund, refundId), bookingDate, Period.Containing(bookingDate),
            [PostingLine.Debit(from.Account(orgId), amount), PostingLine.Credit(AccountKey.Bank(orgId), amount)], memo);
    }

    /// <summary>
    /// The source id of a close: <c>{orgId}/{yyyy-MM}</c> (shared by both entries, which differ in kind); a close redone
    /// after its remittance order was cancelled (and the first close reversed) is revision 2, 3…: <c>{orgId}/{yyyy-MM}/r2</c>.
    /// </summary>
    public static string CloseId(long orgId, Period period, int revision = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revision);
        string id = orgId.ToString(CultureInfo.InvariantCulture) + "/" + period.ToString();
        return revision == 1 ? id : id + "/r" + revision.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// An organization's close of a period, as two entries in two sets of books.
    /// Own books: Dr DuesCollected(p) own collections, Dr RemittancesReceived(p) children's; Cr RetainedShare(p),
    /// Cr PayableToParent. Parent's books: Dr RemittanceReceivable(child) / Cr RemittancesReceived(p) for the remitted part,
    /// which the parent's own close of p then splits in turn.
    /// </summary>
    /// <param name="parentOrgId">Null for the centre, which must then remit nothing.</param>
    public static CloseEntries PeriodClose(long orgId, long? parentOrgId, Period period, DateOnly bookingDate, CloseSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return PeriodClose(orgId, parentOrgId, period, bookingDate, split,
            new CloseSweep([new PeriodAmount(period, split.OwnCollected)], [new PeriodAmount(period, split.ReceivedFromChildren)]));
    }

    /// <summary>
    /// A close that sweeps what is still open on the collection accounts of its period and earlier ones: dues paid late
    /// for an already closed month (the S01/ĐP book's "truy thu"), a child's close made after ours. Own books: Dr
    /// DuesCollected(q) and Dr RemittancesReceived(q) for each swept q ≤ p; Cr RetainedShare(p), Cr PayableToParent.
    /// The parent's counterpart is as in the one-period close.
    /// </summary>
    /// <exception cref="ArgumentException">The sweep does not add up to the split, or sweeps a later period.</exception>
    public static CloseEntries PeriodClose(long orgId, long? parentOrgId, Period period, DateOnly bookingDate, CloseSplit split,
        CloseSweep sweep, int revision = 1)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(sweep);
        if (split.Retained + split.Remitted != split.Collected || split.Retained.IsNegative || split.Remitted.IsNegative)
        {
            throw new ArgumentException("A close split must satisfy collected = retained + remitted, none negative.", nameof(split));
        }
        if (parentOrgId is null && split.Remitted.IsPositive)
        {
            throw new ArgumentException("An organization with no parent cannot remit.", nameof(parentOrgId));
        }
        if (sweep.Own.Concat(sweep.Received).Any(a => a.Period > period || a.Amount.IsNegative)
            || Money.Sum(sweep.Own.Select(a => a.Amount)) != split.OwnCollected
            || Money.Sum(sweep.Received.Select(a => a.Amount)) != split.ReceivedFromChildren)
        {
            throw new ArgumentException("A close sweeps its own and earlier periods only, and exactly the split's collections.", nameof(sweep));
        }
        string id = CloseId(orgId, period, revision);
        JournalEntry? own = null;
        if (split.Collected.IsPositive)
        {
            var lines = new List<PostingLine>();
            foreach (var a in sweep.Own.OrderBy(a => a.Period))
            {
                AddIfPositive(lines, PostingLine.Debit(AccountKey.DuesCollected(orgId, a.Period), a.Amount));
            }
            foreach (var a in sweep.Received.OrderBy(a => a.Period))
            {
                AddIfPositive(lines, PostingLine.Debit(AccountKey.RemittancesReceived(orgId, a.Period), a.Amount));
            }
            AddIfPositive(lines, PostingLine.Credit(AccountKey.RetainedShare(orgId, period), split.Retained));
            AddIfPositive(lines, PostingLine.Credit(AccountKey.PayableToParent(orgId), split.Remitted));
            own = JournalEntry.Create(new EntrySource(SourceKind.PeriodClose, id), bookingDate, period, lines,
                string.Create(CultureInfo.InvariantCulture,
                    $"Khóa sổ {period.ToDisplayString()}: thu {split.Collected.Dong}, giữ lại {split.Retained.Dong}, nộp lên {split.Remitted.Dong}")
                + (split.RuleId is null ? string.Empty : " (" + split.RuleId + ")"));
        }
        JournalEntry? atParent = null;
        if (parentOrgId is { } parent && split.Remitted.IsPositive)
        {
            atParent = JournalEntry.Create(new EntrySource(SourceKind.ChildPeriodClose, id), bookingDate, period,
                [
                    PostingLine.Debit(AccountKey.RemittanceReceivable(parent, orgId), split.Remitted),
                    PostingLine.Credit(AccountKey.RemittancesReceived(parent, period), split.Remitted),
                ],
                string.Create(CultureInfo.InvariantCulture,
                    $"Cấp dưới o{orgId} khóa sổ {period.ToDisplayString()}: phải nộp lên {split.Remitted.Dong}"));
        }
        return new CloseEntries(own, atParent);
    }

    /// <summary>The child's bank pays its parent: Dr PayableToParent / Cr Bank, in the child's books.</summary>
    public static JournalEntry RemittanceSent(long childOrgId, string remittanceId, DateOnly bookingDate, Period period, Money amount, string memo)
    {
        RequirePositive(amount, nameof(amount));
        return JournalEntry.Create(new EntrySource(SourceKind.RemittanceSent, remittanceId), bookingDate, period,
            [PostingLine.Debit(AccountKey.PayableToParent(childOrgId), amount), PostingLine.Credit(AccountKey.Bank(childOrgId), amount)], memo);
    }

    /// <summary>The remittance arrives at the parent's bank: Dr Bank / Cr RemittanceReceivable(child), in the parent's books.</summary>
    public static JournalEntry RemittanceReceipt(long parentOrgId, long childOrgId, string bankTransactionId, DateOnly bookingDate,
        Period period, Money amount, string memo)
    {
        RequirePositive(amount, nameof(amount));
        return JournalEntry.Create(new EntrySource(SourceKind.RemittanceReceipt, bankTransactionId), bookingDate, period,
            [PostingLine.Debit(AccountKey.Bank(parentOrgId), amount), PostingLine.Credit(AccountKey.RemittanceReceivable(parentOrgId, childOrgId), amount)],
            memo);
    }

    private static Money AddDuesCredits(long orgId, IReadOnlyList<DuesAllocation> allocations, List<PostingLine> lines)
    {
        ArgumentNullException.ThrowIfNull(allocations);
        foreach (var a in allocations)
        {
            RequirePositive(a.Amount, nameof(allocations));
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(a.MemberId, nameof(allocations));
            lines.Add(PostingLine.Credit(AccountKey.DuesCollected(orgId, a.Period), a.Amount));
        }
        return Money.Sum(allocations.Select(a => a.Amount));
    }

    private static void AddIfPositive(List<PostingLine> lines, PostingLine line)
    {
        if (line.Amount.IsPositive)
        {
            lines.Add(line);
        }
    }

    private static void RequirePositive(Money amount, string paramName)
    {
        if (!amount.IsPositive)
        {
            throw new ArgumentException($"Amount must be positive, was {amount}.", paramName);
        }
    }
}
