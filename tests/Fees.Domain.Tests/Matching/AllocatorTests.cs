using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Matching;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Matching;

public class AllocatorTests
{
    private const long Member = 1042;
    private const long Here = 10;
    private const long There = 20;

    private static OutstandingStatement Statement(long id, string period, long amount, long paid = 0,
        DuesStatementStatus status = DuesStatementStatus.Issued, long org = Here) =>
        new(id, Member, Period.Parse(period), org, Money.Vnd(amount), Money.Vnd(paid), status);

    [Fact]
    public void Allocate_PaysOldestPeriodFirst_WhenReceiptCoversTwoMonths()
    {
        var result = Allocator.Allocate(Money.Vnd(100_000), Here,
            [Statement(2, "2026-09", 50_000), Statement(1, "2026-08", 50_000), Statement(3, "2026-10", 50_000)]);

        Assert.Equal(
            [
                new StatementAllocation(1, Member, Period.Parse("2026-08"), Here, Money.Vnd(50_000), Money.Vnd(50_000), DuesStatementStatus.Paid),
                new StatementAllocation(2, Member, Period.Parse("2026-09"), Here, Money.Vnd(50_000), Money.Vnd(50_000), DuesStatementStatus.Paid),
            ],
            result.Allocations);
        Assert.Equal(Money.Zero, result.Credit);
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void Allocate_LeavesTheStatementPartiallyPaid_WhenTheReceiptFallsShort()
    {
        var result = Allocator.Allocate(Money.Vnd(20_000), Here, [Statement(1, "2026-08", 54_756)]);
        var allocation = Assert.Single(result.Allocations);
        Assert.Equal(Money.Vnd(20_000), allocation.Amount);
        Assert.Equal(DuesStatementStatus.PartiallyPaid, allocation.ResultingStatus);
        Assert.Equal(Money.Zero, result.Credit);
    }

    [Fact]
    public void Allocate_CompletesAPartiallyPaidStatement_BeforeTheNext()
    {
        var result = Allocator.Allocate(Money.Vnd(40_000), Here,
            [Statement(1, "2026-08", 54_756, paid: 20_000, status: DuesStatementStatus.PartiallyPaid), Statement(2, "2026-09", 54_756)]);
        Assert.Equal([Money.Vnd(34_756), Money.Vnd(5_244)], result.Allocations.Select(a => a.Amount));
        Assert.Equal([DuesStatementStatus.Paid, DuesStatementStatus.PartiallyPaid], result.Allocations.Select(a => a.ResultingStatus));
    }

    [Fact]
    public void Allocate_MakesTheOverpaymentMemberCredit()
    {
        var result = Allocator.Allocate(Money.Vnd(200_000), Here, [Statement(1, "2026-08", 54_756)]);
        Assert.Equal(Money.Vnd(54_756), result.Allocated);
        Assert.Equal(Money.Vnd(145_244), result.Credit);
    }

    [Fact]
    public void Allocate_MakesEverythingCredit_WhenNothingIsOwed()
    {
        var result = Allocator.Allocate(Money.Vnd(30_000), Here, []);
        Assert.Empty(result.Allocations);
        Assert.Equal(Money.Vnd(30_000), result.Credit);
    }

    [Fact]
    public void Allocate_SkipsStatementsOfAnotherOrganization_AndReportsThem()
    {
        // A member who moved: August is still owed to the old organization (20), September to the new one (10).
        var old = Statement(1, "2026-08", 50_000, org: There);
        var result = Allocator.Allocate(Money.Vnd(80_000), Here, [old, Statement(2, "2026-09", 50_000)]);

        var allocation = Assert.Single(result.Allocations);
        Assert.Equal(2, allocation.StatementId);
        Assert.Equal(Money.Vnd(30_000), result.Credit);
        Assert.Equal([new SkippedStatement(old, SkipReason.OwedToAnotherOrganization)], result.Skipped);
    }

    [Fact]
    public void Allocate_PaysTheOldOrganizationsStatement_WithTheOldOrganizationsReceipt()
    {
        var result = Allocator.Allocate(Money.Vnd(50_000), There,
            [Statement(1, "2026-08", 50_000, org: There), Statement(2, "2026-09", 50_000)]);
        Assert.Equal(1, Assert.Single(result.Allocations).StatementId);
        Assert.Equal(SkipReason.OwedToAnotherOrganization, Assert.Single(result.Skipped).Reason);
    }

    [Theory]
    [InlineData(DuesStatementStatus.AwaitingData)]
    [InlineData(DuesStatementStatus.Paid)]
    [InlineData(DuesStatementStatus.Exempt)]
    [InlineData(DuesStatementStatus.Transferred)]
    public void Allocate_NeverPaysAStatementWhoseStatusTakesNoPayment(DuesStatementStatus status)
    {
        long paid = status == DuesStatementStatus.Paid ? 50_000 : 0;
        var blocked = Statement(1, "2026-08", status is DuesStatementStatus.AwaitingData or DuesStatementStatus.Exempt ? 0 : 50_000, paid, status);
        var result = Allocator.Allocate(Money.Vnd(50_000), Here, [blocked, Statement(2, "2026-09", 50_000)]);
        Assert.Equal(2, Assert.Single(result.Allocations).StatementId);
        Assert.Equal(SkipReason.CannotTakePayment, Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void Allocate_SkipsAChargedStatementOfZero_AsNothingOwed()
    {
        var zero = Statement(1, "2026-08", 0);
        var result = Allocator.Allocate(Money.Vnd(10_000), Here, [zero]);
        Assert.Equal([new SkippedStatement(zero, SkipReason.NothingOwed)], result.Skipped);
        Assert.Equal(Money.Vnd(10_000), result.Credit);
    }

    [Fact]
    public void Allocate_RefusesNegativeMoney_SeveralMembers_AndRepeatedStatements()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocator.Allocate(Money.Vnd(-1), Here, []));
        var other = new OutstandingStatement(9, Member + 1, Period.Parse("2026-08"), Here, Money.Vnd(1), Money.Zero, DuesStatementStatus.Issued);
        Assert.Throws<ArgumentException>(() => Allocator.Allocate(Money.Vnd(1), Here, [Statement(1, "2026-08", 1), other]));
        Assert.Throws<ArgumentException>(() => Allocator.Allocate(Money.Vnd(1), Here, [Statement(1, "2026-08", 1), Statement(1, "2026-09", 1)]));
    }

    [Fact]
    public void OutstandingStatement_RefusesAPaidAmountOutsideItsAmount()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Statement(1, "2026-08", 100, paid: 101, status: DuesStatementStatus.PartiallyPaid));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statement(1, "2026-08", 100, paid: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statement(1, "2026-08", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statement(0, "2026-08", 1));
    }

    [Fact]
    public void ApplyCredit_PaysLaterStatements_ByTheSameRules()
    {
        var result = Allocator.ApplyCredit(Money.Vnd(60_000), Here, [Statement(3, "2026-10", 50_000), Statement(4, "2026-11", 50_000)]);
        Assert.Equal([Money.Vnd(50_000), Money.Vnd(10_000)], result.Allocations.Select(a => a.Amount));
        Assert.Equal(Money.Zero, result.Credit);
    }

    [Fact]
    public void ApplyCredit_KeepsWhatIsLeft_AsCredit()
    {
        var result = Allocator.ApplyCredit(Money.Vnd(60_000), Here, [Statement(3, "2026-10", 50_000, org: There)]);
        Assert.Empty(result.Allocations);
        Assert.Equal(Money.Vnd(60_000), result.Credit);
    }

    [Fact]
    public void ToLedger_GivesThePostingRulesABalancedReceipt()
    {
        var result = Allocator.Allocate(Money.Vnd(120_000), Here, [Statement(1, "2026-08", 50_000), Statement(2, "2026-09", 50_000)]);
        var entry = PostingRules.BankReceipt(Here, "tx-1", new DateOnly(2026, 9, 25), Money.Vnd(120_000), result.ToLedger(), Member, "receipt");
        Assert.Contains(entry.Lines, l => l.Account == AccountKey.MemberCredit(Here, Member) && l.Amount == Money.Vnd(20_000));
        Assert.Contains(entry.Lines, l => l.Account == AccountKey.DuesCollected(Here, Period.Parse("2026-08")) && l.Amount == Money.Vnd(50_000));
    }

    [Fact]
    public void SkippedToVietnamese_NamesThePeriodAndTheReason()
    {
        var text = new SkippedStatement(Statement(1, "2026-08", 0, status: DuesStatementStatus.Exempt), SkipReason.CannotTakePayment).ToVietnamese();
        Assert.Equal("Kỳ tháng 8/2026 đang ở trạng thái «Được miễn», không nhận thêm tiền.", text);
        Assert.Contains("tổ chức đã phát hành",
            new SkippedStatement(Statement(1, "2026-08", 1, org: There), SkipReason.OwedToAnotherOrganization).ToVietnamese(), StringComparison.Ordinal);
    }
}
