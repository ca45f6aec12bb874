using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Matching;
using Fees.Domain.Time;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;

namespace Fees.Domain.Tests.Matching;

/// <summary>Money applied to one member's statements at one organization.</summary>
/// <param name="Money">The receipt or credit, 0 to 1,500,000 đồng.</param>
/// <param name="OrgId">The organization whose money it is (10 or 20).</param>
/// <param name="Statements">Zero to nine statements of member 7 at organizations 10 and 20, periods 2026-08 to 2027-07.</param>
public sealed record AllocationCase(Money Money, long OrgId, IReadOnlyList<OutstandingStatement> Statements)
{
    public override string ToString() =>
        $"{Money} at org {OrgId}: " + string.Join("; ", Statements.Select(s =>
            $"#{s.StatementId} {s.Period} org {s.OrgId} {s.Status.ToCode()} {s.PaidSoFar.Dong}/{s.Amount.Dong}"));
}

/// <summary>
/// Statements in every status with amounts and paid amounts the lifecycle allows (issued: nothing paid; partially paid:
/// some; paid: all; exempt and awaiting data: 0 đ; transferred: part), charged statements of 0 đ included, periods that
/// repeat across organizations (a member who moved), money from 0 to 1.5 million đồng.
/// </summary>
public static class AllocationArbitraries
{
    private static Gen<Func<long, OutstandingStatement>> Statement { get; } =
        from month in Gen.Choose(0, 11)
        from org in Gen.Elements(10L, 20L)
        from status in Gen.Elements(Enum.GetValues<DuesStatementStatus>())
        from amount in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Choose(1, 300_000)))
        from paidPermille in Gen.Choose(0, 1000)
        select (Func<long, OutstandingStatement>)(id => Build(id, month, org, status, amount, paidPermille));

    private static OutstandingStatement Build(long id, int month, long org, DuesStatementStatus status, long amount, int permille)
    {
        long part = amount * permille / 1000;
        (long charged, long paid) = status switch
        {
            DuesStatementStatus.Issued => (amount, 0L),
            DuesStatementStatus.PartiallyPaid when amount >= 2 => (amount, Math.Clamp(part, 1, amount - 1)),
            DuesStatementStatus.PartiallyPaid => (2L, 1L),
            DuesStatementStatus.Paid => (amount, amount),
            DuesStatementStatus.Transferred => (amount, Math.Min(part, Math.Max(amount - 1, 0))),
            _ => (0L, 0L),
        };
        return new OutstandingStatement(id, 7, Period.Of(2026, 8).AddMonths(month), org, Money.Vnd(charged), Money.Vnd(paid), status);
    }

    private static Gen<IReadOnlyList<OutstandingStatement>> Statements { get; } =
        from count in Gen.Choose(0, 9)
        from makers in Statement.ArrayOf(count)
        select (IReadOnlyList<OutstandingStatement>)makers.Select((make, i) => make(i + 1)).ToList();

    public static Arbitrary<AllocationCase> Cases() =>
        (from money in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 1_500_000)))
         from org in Gen.Elements(10L, 20L)
         from statements in Statements
         select new AllocationCase(Money.Vnd(money), org, statements)).ToArbitrary();
}

/// <summary>
/// The laws of allocation (<see cref="Allocator"/>), checked on generated statements (<see cref="AllocationArbitraries"/>).
/// They are what an auditor checks on the books: nothing is lost or created, nothing is overpaid, the oldest debt is
/// settled first, money stays in the books of the organization that received it, statuses follow the lifecycle.
/// </summary>
public class AllocatorLaws
{
    private static AllocationResult Allocate(AllocationCase c) => Allocator.Allocate(c.Money, c.OrgId, c.Statements);

    /// <summary>Σ allocations + credit = the money received, to the đồng; credit is never negative.</summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 1000)]
    public void AllocationsPlusCredit_EqualTheMoney_ToTheDong(AllocationCase c)
    {
        var result = Allocate(c);
        Assert.Equal(c.Money, result.Allocated + result.Credit);
        Assert.False(result.Credit.IsNegative);
    }

    /// <summary>Every allocation is positive, at most what its statement still owes, and each statement is paid at most once.</summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 1000)]
    public void NoAllocation_ExceedsWhatIsOwed(AllocationCase c)
    {
        var result = Allocate(c);
        Assert.Equal(result.Allocations.Count, result.Allocations.Select(a => a.StatementId).Distinct().Count());
        foreach (var allocation in result.Allocations)
        {
            var statement = c.Statements.Single(s => s.StatementId == allocation.StatementId);
            Assert.True(allocation.Amount.IsPositive);
            Assert.True(allocation.Amount <= statement.Outstanding);
            Assert.Equal(statement.PaidSoFar + allocation.Amount, allocation.PaidAfter);
        }
    }

    /// <summary>
    /// Oldest first: no statement receives money while an earlier eligible one (by period, then id) is left unpaid in
    /// part, and money becomes credit only when every eligible statement is paid in full.
    /// </summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 1000)]
    public void OldestPeriodsArePaidFirst(AllocationCase c)
    {
        var result = Allocate(c);
        var eligible = c.Statements.Where(s => Allocator.Eligibility(s, c.OrgId) is null)
            .OrderBy(s => s.Period).ThenBy(s => s.StatementId).ToList();
        var paidAfter = eligible.ToDictionary(s => s.StatementId,
            s => result.Allocations.SingleOrDefault(a => a.StatementId == s.StatementId)?.PaidAfter ?? s.PaidSoFar);
        for (int later = 0; later < eligible.Count; later++)
        {
            if (result.Allocations.Any(a => a.StatementId == eligible[later].StatementId))
            {
                for (int earlier = 0; earlier < later; earlier++)
                {
                    Assert.Equal(eligible[earlier].Amount, paidAfter[eligible[earlier].StatementId]);
                }
            }
        }
        if (result.Credit.IsPositive)
        {
            Assert.All(eligible, s => Assert.Equal(s.Amount, paidAfter[s.StatementId]));
        }
    }

    /// <summary>
    /// Statements issued by another organization never receive the money, and every statement is accounted for:
    /// either it could take the money (and is paid oldest first) or it is reported as skipped with its reason.
    /// </summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 1000)]
    public void OtherOrganizationsStatements_NeverReceiveMoney_AndAreReported(AllocationCase c)
    {
        var result = Allocate(c);
        Assert.All(result.Allocations, a => Assert.Equal(c.OrgId, a.OrgId));
        foreach (var statement in c.Statements)
        {
            var skipped = result.Skipped.SingleOrDefault(s => s.Statement == statement);
            Assert.Equal(Allocator.Eligibility(statement, c.OrgId), skipped?.Reason);
            if (statement.OrgId != c.OrgId && skipped is null)
            {
                Assert.Fail($"#{statement.StatementId} of another organization was neither skipped nor reported");
            }
        }
    }

    /// <summary>
    /// Statuses follow the lifecycle: only statuses that take payments receive money (issued, partially paid); the
    /// resulting status is paid exactly when the statement is paid in full and partially paid otherwise, the same as
    /// replaying the allocation through <see cref="DuesStatementLifecycle.RecordPayment"/>.
    /// </summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 1000)]
    public void ResultingStatuses_AgreeWithTheLifecycle(AllocationCase c)
    {
        foreach (var allocation in Allocate(c).Allocations)
        {
            var statement = c.Statements.Single(s => s.StatementId == allocation.StatementId);
            Assert.Contains(statement.Status, new[] { DuesStatementStatus.Issued, DuesStatementStatus.PartiallyPaid });
            var expected = allocation.PaidAfter == statement.Amount ? DuesStatementStatus.Paid : DuesStatementStatus.PartiallyPaid;
            Assert.Equal(expected, allocation.ResultingStatus);
            var replay = new DuesStatementLifecycle(statement.Status);
            replay.RecordPayment(allocation.PaidAfter, statement.Amount);
            Assert.Equal(replay.Status, allocation.ResultingStatus);
        }
    }

    /// <summary>
    /// Two receipts allocated one after the other leave every statement paid exactly as one receipt of their sum would,
    /// with the same total credit: splitting a payment changes nothing (idempotent statuses, no order effects).
    /// </summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 500)]
    public void TwoReceipts_SettleLikeOneOfTheirSum(AllocationCase c, byte splitPercent)
    {
        long firstDong = c.Money.Dong * (splitPercent % 101) / 100;
        var first = Allocator.Allocate(Money.Vnd(firstDong), c.OrgId, c.Statements);
        var afterFirst = c.Statements.Select(s => first.Allocations.SingleOrDefault(a => a.StatementId == s.StatementId) is { } a
            ? new OutstandingStatement(s.StatementId, s.MemberId, s.Period, s.OrgId, s.Amount, a.PaidAfter, a.ResultingStatus)
            : s).ToList();
        var second = Allocator.Allocate(c.Money - Money.Vnd(firstDong), c.OrgId, afterFirst);
        var once = Allocate(c);

        foreach (var statement in c.Statements)
        {
            Money Paid(params AllocationResult[] results) => statement.PaidSoFar
                + Money.Sum(results.SelectMany(r => r.Allocations).Where(a => a.StatementId == statement.StatementId).Select(a => a.Amount));
            Assert.Equal(Paid(once), Paid(first, second));
        }
        Assert.Equal(once.Credit, first.Credit + second.Credit);
    }

    /// <summary>Applying credit follows exactly the rules of allocating a receipt.</summary>
    [Property(Arbitrary = [typeof(AllocationArbitraries)], MaxTest = 300)]
    public void ApplyingCredit_FollowsTheSameRules(AllocationCase c)
    {
        var receipt = Allocate(c);
        var credit = Allocator.ApplyCredit(c.Money, c.OrgId, c.Statements);
        Assert.Equal(receipt.Allocations, credit.Allocations);
        Assert.Equal(receipt.Skipped, credit.Skipped);
        Assert.Equal(receipt.Credit, credit.Credit);
    }
}
