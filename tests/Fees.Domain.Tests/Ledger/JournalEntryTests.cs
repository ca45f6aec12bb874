using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Ledger;

public sealed class JournalEntryTests
{
    private static readonly Period Aug = Period.Of(2026, 8);
    private static readonly DateOnly Day = new(2026, 8, 15);
    private static readonly EntrySource Src = new(SourceKind.BankReceipt, "FT1");

    private static PostingLine Dr(AccountKey a, long d) => PostingLine.Debit(a, Money.Vnd(d));
    private static PostingLine Cr(AccountKey a, long d) => PostingLine.Credit(a, Money.Vnd(d));

    [Fact]
    public void Create_AcceptsABalancedEntry_AndDerivesItsOrganization()
    {
        var e = JournalEntry.Create(Src, Day, Aug, [Dr(AccountKey.Bank(9), 54_756), Cr(AccountKey.DuesCollected(9, Aug), 54_756)], "Đảng phí");
        Assert.Equal(9, e.OrgId);
        Assert.Equal(54_756, e.Total.Dong);
        Assert.Null(e.Reverses);
    }

    [Fact]
    public void Restore_RebuildsAStoredReversalWithTheSameContent()
    {
        var e = JournalEntry.Create(Src, Day, Aug, [Dr(AccountKey.Bank(9), 54_756), Cr(AccountKey.DuesCollected(9, Aug), 54_756)], "Đảng phí");
        var reversal = e.Reverse(new EntrySource(SourceKind.Reversal, "R1"), Day, "nhầm");
        var restored = JournalEntry.Restore(reversal.Source, reversal.BookingDate, reversal.Period, reversal.Lines, reversal.Memo, reversal.Reverses);
        Assert.True(restored.SameContentAs(reversal));
        Assert.Throws<ArgumentException>(() => JournalEntry.Restore(Src, Day, Aug, [Dr(AccountKey.Bank(9), 2), Cr(AccountKey.Suspense(9), 1)], "x", null));
    }

    [Fact]
    public void Create_RefusesFewerThanTwoLines() =>
        Assert.Throws<ArgumentException>(() => JournalEntry.Create(Src, Day, Aug, [Dr(AccountKey.Bank(9), 1)], "x"));

    [Fact]
    public void Create_RefusesAZeroOrNegativeLine() =>
        Assert.Throws<ArgumentException>(() => JournalEntry.Create(Src, Day, Aug,
            [Dr(AccountKey.Bank(9), 0), Cr(AccountKey.Suspense(9), 0)], "x"));

    [Fact]
    public void Create_RefusesDebitsNotEqualToCredits() =>
        Assert.Throws<ArgumentException>(() => JournalEntry.Create(Src, Day, Aug,
            [Dr(AccountKey.Bank(9), 100), Cr(AccountKey.Suspense(9), 99)], "x"));

    [Fact]
    public void Create_RefusesLinesInTwoOrganizationsBooks() =>
        Assert.Throws<ArgumentException>(() => JournalEntry.Create(Src, Day, Aug,
            [Dr(AccountKey.Bank(9), 100), Cr(AccountKey.Suspense(10), 100)], "x"));

    [Fact]
    public void Reverse_SwapsEverySide_AndNamesWhatItReverses()
    {
        var e = JournalEntry.Create(Src, Day, Aug, [Dr(AccountKey.Bank(9), 100), Cr(AccountKey.Suspense(9), 100)], "x");
        var r = e.Reverse(new EntrySource(SourceKind.Reversal, "REV1"), Day.AddDays(1), "nhận nhầm");
        Assert.Equal(SourceKind.BankReceipt, r.ReversesSourceKind);
        Assert.Equal("FT1", r.ReversesSourceId);
        Assert.Equal([Cr(AccountKey.Bank(9), 100), Dr(AccountKey.Suspense(9), 100)], r.Lines);
        Assert.Equal(e.Period, r.Period);
    }

    [Fact]
    public void Reverse_RefusesASourceThatIsNotAReversalAnEarlierDateOrReversingAReversal()
    {
        var e = JournalEntry.Create(Src, Day, Aug, [Dr(AccountKey.Bank(9), 100), Cr(AccountKey.Suspense(9), 100)], "x");
        Assert.Throws<ArgumentException>(() => e.Reverse(Src, Day, "x"));
        Assert.Throws<ArgumentException>(() => e.Reverse(new EntrySource(SourceKind.Reversal, "R"), Day.AddDays(-1), "x"));
        var r = e.Reverse(new EntrySource(SourceKind.Reversal, "R"), Day, "x");
        Assert.Throws<InvalidOperationException>(() => r.Reverse(new EntrySource(SourceKind.Reversal, "R2"), Day, "x"));
    }

    [Fact]
    public void AccountCodesAndHledgerNames_AreStable()
    {
        Assert.Equal(("bank", "assets:bank"), (AccountKey.Bank(1).Code, AccountKey.Bank(1).HledgerName));
        Assert.Equal(("dues:2026-08", "revenue:dues-collected:2026-08"), (AccountKey.DuesCollected(1, Aug).Code, AccountKey.DuesCollected(1, Aug).HledgerName));
        Assert.Equal(("credit:m123", "liabilities:member-credit:m123"), (AccountKey.MemberCredit(1, 123).Code, AccountKey.MemberCredit(1, 123).HledgerName));
        Assert.Equal(("receivable:o45", "assets:remittance-receivable:o45"), (AccountKey.RemittanceReceivable(1, 45).Code, AccountKey.RemittanceReceivable(1, 45).HledgerName));
        Assert.Equal(("received:2026-08", "revenue:remittances-received:2026-08"), (AccountKey.RemittancesReceived(1, Aug).Code, AccountKey.RemittancesReceived(1, Aug).HledgerName));
        Assert.Equal(("retained:2026-08", "equity:retained-share:2026-08"), (AccountKey.RetainedShare(1, Aug).Code, AccountKey.RetainedShare(1, Aug).HledgerName));
        Assert.Equal(("payable", "liabilities:payable-to-parent"), (AccountKey.PayableToParent(1).Code, AccountKey.PayableToParent(1).HledgerName));
        Assert.Equal(("suspense", "liabilities:suspense"), (AccountKey.Suspense(1).Code, AccountKey.Suspense(1).HledgerName));
        Assert.Equal("Đảng phí đã thu tháng 8/2026", AccountKey.DuesCollected(1, Aug).DisplayName);
        Assert.Equal(AccountKey.DuesCollected(1, Aug), AccountKey.FromParts(1, AccountType.DuesCollected, 202608));
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountKey.FromParts(1, AccountType.Bank, 5));
    }

    [Fact]
    public void NormalSides_FollowTheAccountClass()
    {
        Assert.Equal(Side.Debit, AccountType.Bank.NormalSide());
        Assert.Equal(Side.Debit, AccountType.RemittanceReceivable.NormalSide());
        foreach (var t in new[] { AccountType.DuesCollected, AccountType.MemberCredit, AccountType.Suspense, AccountType.RemittancesReceived, AccountType.PayableToParent, AccountType.RetainedShare })
        {
            Assert.Equal(Side.Credit, t.NormalSide());
        }
    }
}
