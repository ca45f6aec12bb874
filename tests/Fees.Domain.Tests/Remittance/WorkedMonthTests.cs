using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Organizations;
using Fees.Domain.Remittance;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Remittance;

/// <summary>ARCHITECTURE §3, "A month of remittances under the default (legacy 342) policy, to the đồng": every number of the table.</summary>
public sealed class WorkedMonthTests
{
    internal const long Centre = 1, P = 2, U = 3, B = 4, C1 = 5, C2 = 6, E = 7;
    internal static readonly Period August = Period.Of(2026, 8);
    internal static readonly DateOnly CloseDay = new(2026, 9, 5);

    internal static readonly OrgNode[] Tree =
    [
        new(Centre, null, OrgKind.Central, OrgSetting.Other),
        new(P, Centre, OrgKind.Province, OrgSetting.Other),
        new(U, P, OrgKind.Upper, OrgSetting.Commune),
        new(B, U, OrgKind.BaseCommittee, OrgSetting.Commune),
        new(C1, B, OrgKind.Cell, OrgSetting.Commune),
        new(C2, B, OrgKind.Cell, OrgSetting.Commune),
        new(E, P, OrgKind.BaseCell, OrgSetting.Enterprise),
    ];

    private static Money Vnd(long d) => Money.Vnd(d);

    /// <summary>Members pay C1 1,000,000, C2 600,000 and E 500,000 for August (several receipts each).</summary>
    internal static Books PaidMonth()
    {
        var books = new Books();
        var day = new DateOnly(2026, 8, 20);
        void Pay(long org, string txn, long member, long amount) =>
            books.Post(PostingRules.BankReceipt(org, txn, day, Vnd(amount), [new DuesAllocation(member, August, Vnd(amount))], member, "Đảng phí"));
        Pay(C1, "C1-1", 101, 400_000);
        Pay(C1, "C1-2", 102, 600_000);
        Pay(C2, "C2-1", 201, 600_000);
        Pay(E, "E-1", 701, 250_000);
        Pay(E, "E-2", 702, 250_000);
        return books;
    }

    [Fact]
    public void EveryCloseOfTheTable_MatchesToTheDong()
    {
        var books = PaidMonth();
        var closes = TreeClose.CloseAll(books, Tree, August, CloseDay, RetentionPolicy.Legacy342).ToDictionary(c => c.OrgId, c => c.Split);

        void Row(long org, long collected, long retained, long remitted)
        {
            var s = closes[org];
            Assert.Equal((collected, retained, remitted), (s.Collected.Dong, s.Retained.Dong, s.Remitted.Dong));
            Assert.Equal(0, s.Shortfall.Dong);
        }
        Row(C1, 1_000_000, 300_000, 700_000);
        Row(C2, 600_000, 180_000, 420_000);
        Row(B, 1_120_000, 960_000, 160_000);
        Row(E, 500_000, 350_000, 150_000);
        Row(U, 160_000, 80_000, 80_000);
        Row(P, 230_000, 115_000, 115_000);
        Row(Centre, 115_000, 115_000, 0);
        Assert.Equal(1_120_000, closes[B].ReceivedFromChildren.Dong);
        Assert.Equal(230_000, closes[P].ReceivedFromChildren.Dong);

        Assert.Equal("legacy-342/cell", closes[C1].RuleId);
        Assert.Equal("legacy-342/base-committee/commune", closes[B].RuleId);
        Assert.Equal("legacy-342/base-cell", closes[E].RuleId);
        Assert.Equal("legacy-342/upper", closes[U].RuleId);
        Assert.Equal("legacy-342/province", closes[P].RuleId);
        Assert.Null(closes[Centre].RuleId);

        // B and its cells keep 90% of B's subtree; E keeps 70%; everything members paid is retained somewhere.
        Assert.Equal(1_440_000, closes[C1].Retained.Dong + closes[C2].Retained.Dong + closes[B].Retained.Dong);
        Assert.Equal(2_100_000, closes.Values.Sum(s => s.Retained.Dong));
    }

    [Fact]
    public void TheBooksAfterClosing_HoldTheTable_AndARemittanceInTransitIsNeverLost()
    {
        var books = PaidMonth();
        TreeClose.CloseAll(books, Tree, August, CloseDay, RetentionPolicy.Legacy342);

        Assert.Equal(300_000, books.Balance(AccountKey.RetainedShare(C1, August)).Dong);
        Assert.Equal(700_000, books.Balance(AccountKey.PayableToParent(C1)).Dong);
        Assert.Equal(700_000, books.Balance(AccountKey.RemittanceReceivable(B, C1)).Dong);
        Assert.Equal(420_000, books.Balance(AccountKey.RemittanceReceivable(B, C2)).Dong);
        Assert.Equal(960_000, books.Balance(AccountKey.RetainedShare(B, August)).Dong);
        Assert.Equal(160_000, books.Balance(AccountKey.PayableToParent(B)).Dong);
        Assert.Equal(150_000, books.Balance(AccountKey.RemittanceReceivable(P, E)).Dong);
        Assert.Equal(115_000, books.Balance(AccountKey.RetainedShare(Centre, August)).Dong);
        foreach (var org in Tree)
        {
            Assert.Equal(Money.Zero, books.Balance(AccountKey.DuesCollected(org.Id, August)));
            Assert.Equal(Money.Zero, books.Balance(AccountKey.RemittancesReceived(org.Id, August)));
        }
        Assert.All(LedgerInvariants.CheckAll(books.Entries.ToList(), Tree.Where(o => o.ParentId is not null).ToDictionary(o => o.Id, o => o.ParentId!.Value)),
            r => Assert.True(r.Passed, r.Name));

        // C1 pays B; B's bank has not seen it yet: in transit, still accounted for.
        books.Post(PostingRules.RemittanceSent(C1, "R-C1-2026-08", new DateOnly(2026, 9, 6), August, Vnd(700_000), "Nộp lên B"));
        var inTransit = LedgerInvariants.Conservation(books.Entries, out _);
        Assert.Equal(2_100_000, inTransit.MembersPaid.Dong);
        Assert.Equal(700_000, inTransit.RemittedOutOrInTransit.Dong);
        Assert.True(LedgerInvariants.MoneyConserved(books.Entries).Passed);

        books.Post(PostingRules.RemittanceReceipt(B, C1, "FT-B-0001", new DateOnly(2026, 9, 7), August, Vnd(700_000), "C1 nộp lên"));
        Assert.Equal(Money.Zero, books.Balance(AccountKey.RemittanceReceivable(B, C1)));
        Assert.Equal(700_000, books.Balance(AccountKey.Bank(B)).Dong);
        Assert.Equal(300_000, books.Balance(AccountKey.Bank(C1)).Dong);
        var settled = LedgerInvariants.Conservation(books.Entries, out _);
        Assert.Equal(0, settled.RemittedOutOrInTransit.Dong);
        Assert.Equal(2_100_000, settled.Retained.Dong);
        Assert.True(LedgerInvariants.MoneyConserved(books.Entries).Passed);
    }

    [Fact]
    public void ClosingTheTreeAgain_ChangesNothing()
    {
        var books = PaidMonth();
        TreeClose.CloseAll(books, Tree, August, CloseDay, RetentionPolicy.Legacy342);
        int count = books.Entries.Count;
        var again = TreeClose.CloseAll(books, Tree, August, CloseDay, RetentionPolicy.Legacy342);
        Assert.Empty(again);
        Assert.Equal(count, books.Entries.Count);
    }
}
