using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Ledger;

public sealed class BooksTests
{
    private static readonly DateOnly Day = new(2026, 8, 15);
    private static readonly Period Aug = Period.Of(2026, 8);

    private static JournalEntry Receipt(string id, long amount) =>
        PostingRules.BankReceipt(5, id, Day, Money.Vnd(amount), [new DuesAllocation(1, Aug, Money.Vnd(amount))], 1, "x");

    [Fact]
    public void PostingASourceAgain_ReturnsTheOriginal_AndChangesNothing()
    {
        var books = new Books();
        var first = books.Post(Receipt("FT1", 100));
        var again = books.Post(Receipt("FT1", 999));
        Assert.Equal(PostStatus.Posted, first.Status);
        Assert.Equal(PostStatus.Duplicate, again.Status);
        Assert.Same(first.Entry, again.Entry);
        Assert.NotNull(again.Reason);
        Assert.Single(books.Entries);
        Assert.Equal(100, books.Balance(AccountKey.Bank(5)).Dong);
        Assert.Null(books.Post(Receipt("FT1", 100)).Reason);
    }

    [Fact]
    public void AReversal_NeedsItsEntryInTheBooks_AndReversesItOnce()
    {
        var books = new Books();
        var e = Receipt("FT1", 100);
        var r1 = e.Reverse(new EntrySource(SourceKind.Reversal, "R1"), Day, "sai");
        Assert.Equal(PostStatus.Rejected, books.Post(r1).Status);
        books.Post(e);
        Assert.Equal(PostStatus.Posted, books.Post(r1).Status);
        Assert.Equal(PostStatus.Rejected, books.Post(e.Reverse(new EntrySource(SourceKind.Reversal, "R2"), Day, "sai")).Status);
        Assert.Equal(new EntrySource(SourceKind.Reversal, "R1"), books.ReversalOf(e.Source));
        Assert.Equal(Money.Zero, books.Balance(AccountKey.Bank(5)));
        Assert.Equal(Money.Zero, books.Balance(AccountKey.DuesCollected(5, Aug)));
    }

    [Fact]
    public void TrialBalance_IsAsOfABookingDate_AndTotalsAgree()
    {
        var books = new Books();
        books.Post(Receipt("FT1", 100));
        books.Post(PostingRules.BankReceipt(5, "FT2", Day.AddDays(3), Money.Vnd(50), [], null, "?"));
        var early = books.TrialBalance(5, Day);
        Assert.Equal(100, early.TotalDebit.Dong);
        Assert.Equal(early.TotalDebit, early.TotalCredit);
        var late = books.TrialBalance(5, Day.AddDays(3));
        Assert.Equal(150, late.BalanceOf(AccountKey.Bank(5)).Dong);
        Assert.Equal(50, late.BalanceOf(AccountKey.Suspense(5)).Dong);
        Assert.Equal(["bank", "dues:2026-08", "suspense"], late.Accounts.Select(a => a.Code));
        Assert.Empty(books.TrialBalance(6, Day).Accounts);
    }
}
