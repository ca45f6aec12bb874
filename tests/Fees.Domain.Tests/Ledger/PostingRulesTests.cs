using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Remittance;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Ledger;

public sealed class PostingRulesTests
{
    private const long Org = 10, Parent = 3;
    private static readonly Period Aug = Period.Of(2026, 8), Sep = Period.Of(2026, 9);
    private static readonly DateOnly Day = new(2026, 9, 3);
    private static Money Vnd(long d) => Money.Vnd(d);
    private static PostingLine Dr(AccountKey a, long d) => PostingLine.Debit(a, Vnd(d));
    private static PostingLine Cr(AccountKey a, long d) => PostingLine.Credit(a, Vnd(d));

    [Fact]
    public void Receipt_AllocatedToTwoPeriodsWithTheOverpaymentToTheMembersCredit()
    {
        var e = PostingRules.BankReceipt(Org, "FT9", Day, Vnd(120_000),
            [new DuesAllocation(7, Aug, Vnd(54_756)), new DuesAllocation(7, Sep, Vnd(54_756))], 7, "memo");
        Assert.Equal(new EntrySource(SourceKind.BankReceipt, "FT9"), e.Source);
        Assert.Equal(Sep, e.Period);
        Assert.Equal(
            [Dr(AccountKey.Bank(Org), 120_000), Cr(AccountKey.DuesCollected(Org, Aug), 54_756),
             Cr(AccountKey.DuesCollected(Org, Sep), 54_756), Cr(AccountKey.MemberCredit(Org, 7), 10_488)], e.Lines);
    }

    [Fact]
    public void UnidentifiedReceipt_GoesWhollyToSuspense()
    {
        var e = PostingRules.BankReceipt(Org, "FT10", Day, Vnd(50_000), [], null, "?");
        Assert.Equal([Dr(AccountKey.Bank(Org), 50_000), Cr(AccountKey.Suspense(Org), 50_000)], e.Lines);
    }

    [Fact]
    public void Receipt_RefusesAllocationsAboveItsAmount() =>
        Assert.Throws<ArgumentException>(() => PostingRules.BankReceipt(Org, "FT11", Day, Vnd(10), [new DuesAllocation(7, Aug, Vnd(11))], 7, "x"));

    [Fact]
    public void Treasurer_AllocatesOutOfSuspense_AndCreditIsAppliedLater()
    {
        var manual = PostingRules.Allocate(Org, "A1", Day, Holding.Suspense, [new DuesAllocation(8, Aug, Vnd(30_000))], "x");
        Assert.Equal(SourceKind.ManualAllocation, manual.Source.Kind);
        Assert.Equal([Dr(AccountKey.Suspense(Org), 30_000), Cr(AccountKey.DuesCollected(Org, Aug), 30_000)], manual.Lines);

        var credit = PostingRules.Allocate(Org, "A2", Day, Holding.CreditOf(7), [new DuesAllocation(7, Sep, Vnd(10_488))], "x");
        Assert.Equal(SourceKind.Allocation, credit.Source.Kind);
        Assert.Equal([Dr(AccountKey.MemberCredit(Org, 7), 10_488), Cr(AccountKey.DuesCollected(Org, Sep), 10_488)], credit.Lines);
    }

    [Fact]
    public void Refund_PaysSuspenseOrCreditOutOfTheBank()
    {
        var e = PostingRules.Refund(Org, "RF1", Day, Holding.CreditOf(7), Vnd(5_000), "x");
        Assert.Equal([Dr(AccountKey.MemberCredit(Org, 7), 5_000), Cr(AccountKey.Bank(Org), 5_000)], e.Lines);
        var s = PostingRules.Refund(Org, "RF2", Day, Holding.Suspense, Vnd(5_000), "x");
        Assert.Equal(AccountKey.Suspense(Org), s.Lines[0].Account);
    }

    [Fact]
    public void Close_IsTwoEntriesEachInOneOrganizationsBooks()
    {
        var split = new CloseSplit(Vnd(600_000), Vnd(400_000), Vnd(300_000), Vnd(700_000), Money.Zero, "r");
        var (own, atParent) = PostingRules.PeriodClose(Org, Parent, Aug, Day, split);
        Assert.NotNull(own);
        Assert.NotNull(atParent);
        Assert.Equal(Org, own.OrgId);
        Assert.Equal(Parent, atParent.OrgId);
        Assert.Equal(new EntrySource(SourceKind.PeriodClose, "10/2026-08"), own.Source);
        Assert.Equal(new EntrySource(SourceKind.ChildPeriodClose, "10/2026-08"), atParent.Source);
        Assert.Equal(
            [Dr(AccountKey.DuesCollected(Org, Aug), 600_000), Dr(AccountKey.RemittancesReceived(Org, Aug), 400_000),
             Cr(AccountKey.RetainedShare(Org, Aug), 300_000), Cr(AccountKey.PayableToParent(Org), 700_000)], own.Lines);
        Assert.Equal([Dr(AccountKey.RemittanceReceivable(Parent, Org), 700_000), Cr(AccountKey.RemittancesReceived(Parent, Aug), 700_000)], atParent.Lines);
    }

    [Fact]
    public void CloseOfNothing_PostsNothing_AndTheCentreRemitsNothing()
    {
        var empty = PostingRules.PeriodClose(Org, Parent, Aug, Day, PeriodClose.Compute(Money.Zero, Money.Zero, Money.Zero, null));
        Assert.Null(empty.Own);
        Assert.Null(empty.AtParent);
        var centre = PostingRules.PeriodClose(1, null, Aug, Day, PeriodClose.Compute(Money.Zero, Vnd(115_000), Money.Zero, null));
        Assert.Null(centre.AtParent);
        Assert.Equal([Dr(AccountKey.RemittancesReceived(1, Aug), 115_000), Cr(AccountKey.RetainedShare(1, Aug), 115_000)], centre.Own!.Lines);
        Assert.Throws<ArgumentException>(() => PostingRules.PeriodClose(1, null, Aug, Day,
            new CloseSplit(Vnd(10), Money.Zero, Vnd(5), Vnd(5), Money.Zero, null)));
    }

    [Fact]
    public void Remittance_IsOneEntryAtTheChild_AndOneAtTheParent()
    {
        var sent = PostingRules.RemittanceSent(Org, "R1", Day, Aug, Vnd(700_000), "x");
        Assert.Equal([Dr(AccountKey.PayableToParent(Org), 700_000), Cr(AccountKey.Bank(Org), 700_000)], sent.Lines);
        var got = PostingRules.RemittanceReceipt(Parent, Org, "FT-P", Day, Aug, Vnd(700_000), "x");
        Assert.Equal([Dr(AccountKey.Bank(Parent), 700_000), Cr(AccountKey.RemittanceReceivable(Parent, Org), 700_000)], got.Lines);
    }
}
