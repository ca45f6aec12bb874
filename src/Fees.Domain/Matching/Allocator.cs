using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Time;

namespace Fees.Domain.Matching;

/// <summary>Why the allocator left a statement alone.</summary>
public enum SkipReason
{
    /// <summary>Its status takes no payment (awaiting data, paid, exempt, transferred), per <see cref="DuesStatementLifecycle.CanRecordPayment"/>.</summary>
    CannotTakePayment,

    /// <summary>It takes payments but nothing is left to pay (a charged statement of 0 đ).</summary>
    NothingOwed,

    /// <summary>It is owed to another organization than the one whose money is allocated (a member who moved).</summary>
    OwedToAnotherOrganization,
}

/// <summary>A statement the allocator did not pay, and why.</summary>
public sealed record SkippedStatement(OutstandingStatement Statement, SkipReason Reason)
{
    /// <summary>The reason as a treasurer reads it, in Vietnamese.</summary>
    public string ToVietnamese() => Reason switch
    {
        SkipReason.CannotTakePayment => string.Create(CultureInfo.InvariantCulture,
            $"Kỳ {Statement.Period.ToDisplayString()} đang ở trạng thái «{Statement.Status.ToVietnamese()}», không nhận thêm tiền."),
        SkipReason.NothingOwed => $"Kỳ {Statement.Period.ToDisplayString()} không còn số phải nộp.",
        SkipReason.OwedToAnotherOrganization =>
            $"Kỳ {Statement.Period.ToDisplayString()} là khoản phải nộp cho tổ chức đã phát hành (tổ chức khác); khoản tiền này không trả cho kỳ đó.",
        _ => throw new InvalidOperationException($"Unknown skip reason {Reason}."),
    };
}

/// <summary>Money applied to one statement.</summary>
/// <param name="StatementId">The statement paid.</param>
/// <param name="MemberId">Its member.</param>
/// <param name="Period">Its month.</param>
/// <param name="OrgId">The organization that issued it (whose books receive the money).</param>
/// <param name="Amount">What this allocation applies, in đồng (&gt; 0, ≤ what was outstanding).</param>
/// <param name="PaidAfter">The statement's paid amount once this allocation is recorded, in đồng.</param>
/// <param name="ResultingStatus">The status the lifecycle gives it: partially paid or paid.</param>
public sealed record StatementAllocation(long StatementId, long MemberId, Period Period, long OrgId, Money Amount,
    Money PaidAfter, DuesStatementStatus ResultingStatus)
{
    /// <summary>The allocation as <see cref="PostingRules.BankReceipt"/> and <see cref="PostingRules.Allocate"/> take it.</summary>
    public DuesAllocation ToLedger() => new(MemberId, Period, Amount);
}

/// <summary>The outcome of allocating money to one member's statements.</summary>
/// <param name="Allocations">Oldest period first.</param>
/// <param name="Credit">What is left for the member's credit at the allocating organization, in đồng (≥ 0).</param>
/// <param name="Skipped">Statements left alone because of their status or organization, oldest first.</param>
public sealed record AllocationResult(IReadOnlyList<StatementAllocation> Allocations, Money Credit, IReadOnlyList<SkippedStatement> Skipped)
{
    /// <summary>Σ allocations, in đồng.</summary>
    public Money Allocated => Money.Sum(Allocations.Select(a => a.Amount));

    /// <summary>The allocations as the ledger's posting rules take them.</summary>
    public IReadOnlyList<DuesAllocation> ToLedger() => Allocations.Select(a => a.ToLedger()).ToList();
}

/// <summary>
/// Applies money to one member's outstanding dues, oldest period first; what is left is the member's credit.
/// </summary>
/// <remarks>
/// Laws (each a property test in <c>AllocatorLaws</c>):
/// <list type="bullet">
/// <item>Σ allocations + credit = the money applied, to the đồng; credit ≥ 0.</item>
/// <item>No allocation exceeds what its statement still owes, and none is zero.</item>
/// <item>Oldest first: no statement receives money while an earlier eligible one (by period, then statement id) is not
/// full; so money is left as credit only when every eligible statement is full.</item>
/// <item>Only statements issued by the allocating organization receive money; the others are reported as
/// <see cref="SkipReason.OwedToAnotherOrganization"/> (a transferred member's old statement is paid to the organization
/// that issued it).</item>
/// <item>Only statements the lifecycle lets take a payment receive money, and the resulting status is the lifecycle's:
/// allocating the reported amount through <see cref="DuesStatementLifecycle.RecordPayment"/> gives the reported status.</item>
/// </list>
/// </remarks>
public static class Allocator
{
    /// <summary>
    /// Allocates a receipt of <paramref name="received"/> on the account of <paramref name="receivingOrgId"/> to one
    /// member's <paramref name="statements"/>; the rest is the member's credit at that organization.
    /// </summary>
    /// <param name="received">The receipt, in đồng (≥ 0).</param>
    /// <param name="receivingOrgId">The organization whose bank account received the money.</param>
    /// <param name="statements">The member's statements, any order, any status, any organization.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="received"/> is negative.</exception>
    /// <exception cref="ArgumentException">The statements belong to several members, or a statement id repeats.</exception>
    public static AllocationResult Allocate(Money received, long receivingOrgId, IReadOnlyList<OutstandingStatement> statements) =>
        Apply(received, receivingOrgId, statements, nameof(received));

    /// <summary>
    /// Applies a member's existing credit at <paramref name="creditOrgId"/> to their later statements, by the same rules
    /// as <see cref="Allocate"/>; what is left stays credit (refundable by the treasurer).
    /// </summary>
    /// <param name="credit">The member's credit balance at <paramref name="creditOrgId"/>, in đồng (≥ 0).</param>
    /// <param name="creditOrgId">The organization whose books hold the credit.</param>
    /// <param name="statements">The member's statements, any order, any status, any organization.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="credit"/> is negative.</exception>
    /// <exception cref="ArgumentException">The statements belong to several members, or a statement id repeats.</exception>
    public static AllocationResult ApplyCredit(Money credit, long creditOrgId, IReadOnlyList<OutstandingStatement> statements) =>
        Apply(credit, creditOrgId, statements, nameof(credit));

    /// <summary>Whether a statement could take money from <paramref name="orgId"/>, and if not, why.</summary>
    public static SkipReason? Eligibility(OutstandingStatement statement, long orgId)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (!new DuesStatementLifecycle(statement.Status).CanRecordPayment)
        {
            return SkipReason.CannotTakePayment;
        }
        if (!statement.Outstanding.IsPositive)
        {
            return SkipReason.NothingOwed;
        }
        return statement.OrgId == orgId ? null : SkipReason.OwedToAnotherOrganization;
    }

    private static AllocationResult Apply(Money money, long orgId, IReadOnlyList<OutstandingStatement> statements, string moneyName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(money.Dong, moneyName);
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Select(s => s.MemberId).Distinct().Count() > 1)
        {
            throw new ArgumentException("Money is allocated to one member's statements at a time.", nameof(statements));
        }
        if (statements.Select(s => s.StatementId).Distinct().Count() != statements.Count)
        {
            throw new ArgumentException("A statement is listed twice.", nameof(statements));
        }

        var allocations = new List<StatementAllocation>();
        var skipped = new List<SkippedStatement>();
        var left = money;
        foreach (var statement in statements.OrderBy(s => s.Period).ThenBy(s => s.StatementId))
        {
            if (Eligibility(statement, orgId) is { } reason)
            {
                skipped.Add(new SkippedStatement(statement, reason));
                continue;
            }
            if (!left.IsPositive)
            {
                continue;
            }
            var amount = Money.Min(left, statement.Outstanding);
            var paidAfter = statement.PaidSoFar + amount;
            var lifecycle = new DuesStatementLifecycle(statement.Status);
            lifecycle.RecordPayment(paidAfter, statement.Amount);
            allocations.Add(new StatementAllocation(statement.StatementId, statement.MemberId, statement.Period, statement.OrgId,
                amount, paidAfter, lifecycle.Status));
            left -= amount;
        }
        return new AllocationResult(allocations, left, skipped);
    }
}
