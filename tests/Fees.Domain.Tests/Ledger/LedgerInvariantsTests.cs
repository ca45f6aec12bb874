using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Ledger;

/// <summary>The checks must catch broken rows as read from storage, not only pass on good books.</summary>
public sealed class LedgerInvariantsTests
{
    private static readonly Period Aug = Period.Of(2026, 8);
    private static readonly DateOnly Day = new(2026, 8, 15);

    private sealed record Row(EntrySource Source, EntrySource? Reverses, DateOnly BookingDate, Period Period, IReadOnlyList<PostingLine> Lines) : IPostedEntry;

    private static Row R(string id, params PostingLine[] lines) => new(new EntrySource(SourceKind.BankReceipt, id), null, Day, Aug, lines);
    private static PostingLine Dr(AccountKey a, long d) => PostingLine.Debit(a, Money.Vnd(d));
    private static PostingLine Cr(AccountKey a, long d) => PostingLine.Credit(a, Money.Vnd(d));

    [Fact]
    public void UnbalancedSingleLineAndCrossBooksRows_AreNamed()
    {
        var rows = new[]
        {
            R("ok", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.Suspense(1), 5)),
            R("unbalanced", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.Suspense(1), 4)),
            R("single", Dr(AccountKey.Bank(1), 5)),
            R("two-books", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.Suspense(2), 5)),
        };
        var result = LedgerInvariants.EntriesBalance(rows);
        Assert.False(result.Passed);
        Assert.Equal(["bank-receipt:unbalanced", "bank-receipt:single", "bank-receipt:two-books"], result.Violations.Select(v => v.Offending[0]));
    }

    [Fact]
    public void ASourcePostedTwice_IsNamed()
    {
        var row = R("FT1", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.Suspense(1), 5));
        var result = LedgerInvariants.SourcesUnique([row, row]);
        Assert.Equal("bank-receipt:FT1", Assert.Single(result.Violations).Offending[0]);
    }

    [Fact]
    public void AReversalThatDoesNotCancel_IsNamed()
    {
        var original = R("FT1", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.Suspense(1), 5));
        var bad = new Row(new EntrySource(SourceKind.Reversal, "R1"), original.Source, Day, Aug,
            [Cr(AccountKey.Bank(1), 5), Dr(AccountKey.MemberCredit(1, 3), 5)]);
        var result = LedgerInvariants.ReversalsNetToZero([original, bad]);
        Assert.Contains("suspense", Assert.Single(result.Violations).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ACloseThatKeepsMoreThanItCollectedAndAMismatchedCounterpart_AreNamed()
    {
        var close = new Row(new EntrySource(SourceKind.PeriodClose, "4/2026-08"), null, Day, Aug,
            [Dr(AccountKey.DuesCollected(4, Aug), 100), Dr(AccountKey.Bank(4), 10), Cr(AccountKey.RetainedShare(4, Aug), 40), Cr(AccountKey.PayableToParent(4), 70)]);
        var counterpart = new Row(new EntrySource(SourceKind.ChildPeriodClose, "4/2026-08"), null, Day, Aug,
            [Dr(AccountKey.RemittanceReceivable(3, 4), 60), Cr(AccountKey.RemittancesReceived(3, Aug), 60)]);
        var result = LedgerInvariants.ClosesSplitExactly([close, counterpart]);
        Assert.Equal(2, result.Violations.Count);
    }

    [Fact]
    public void MoneyMovedOutOfTheBankByAClose_IsNotConserved()
    {
        var paid = R("FT1", Dr(AccountKey.Bank(1), 100), Cr(AccountKey.DuesCollected(1, Aug), 100));
        var leak = new Row(new EntrySource(SourceKind.PeriodClose, "1/2026-08"), null, Day, Aug,
            [Dr(AccountKey.DuesCollected(1, Aug), 100), Cr(AccountKey.Bank(1), 100)]);
        Assert.True(LedgerInvariants.MoneyConserved([paid]).Passed);
        Assert.False(LedgerInvariants.MoneyConserved([paid, leak]).Passed);
    }

    [Fact]
    public void AReceiptThatCreditsAReceivableOrACloseThatTouchesTheBank_BreaksTheChart()
    {
        var receipt = R("FT1", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.RemittanceReceivable(1, 2), 5));
        var close = new Row(new EntrySource(SourceKind.PeriodClose, "1/2026-08"), null, Day, Aug,
            [Dr(AccountKey.DuesCollected(1, Aug), 100), Cr(AccountKey.Bank(1), 100)]);
        var good = R("FT2", Dr(AccountKey.Bank(1), 5), Cr(AccountKey.MemberCredit(1, 3), 5));
        var goodReversal = new Row(new EntrySource(SourceKind.Reversal, "RV"), good.Source, Day, Aug,
            [Cr(AccountKey.Bank(1), 5), Dr(AccountKey.MemberCredit(1, 3), 5)]);
        var result = LedgerInvariants.PostingsFollowTheChart([receipt, close, good, goodReversal]);
        Assert.Equal(["bank-receipt:FT1", "period-close:1/2026-08"], result.Violations.Select(v => v.Offending[0]));
    }
}
