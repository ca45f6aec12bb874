using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Remittance;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;

namespace Fees.Domain.Tests.Ledger;

/// <summary>The ledger's laws, each checked on hundreds of random cases.</summary>
public sealed class LedgerProperties
{
    private static readonly DateOnly FarFuture = new(2030, 1, 1);

    /// <summary>
    /// Law: whatever happens — payments exact, over or unidentified, the same bank notification delivered again,
    /// treasurer allocations, credit applied, refunds, reversals, period closes of the whole tree, remittances sent
    /// and arriving late or at once — over any small tree of the charter's levels, every ledger invariant holds
    /// afterwards: every entry balances in one organization's books, no source is in the books twice, each reversal
    /// cancels its entry, every close splits collected = retained + remitted, each kind of event moves only its own
    /// accounts, and what members paid is all accounted for across the tree.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property EveryInvariant_HoldsAfterAnyHistoryOverAnyTree() =>
        Prop.ForAll(LedgerGenerators.TreeHistory, input =>
        {
            var sim = LedgerSimulation.Run(input.Tree, input.Events);
            var failed = LedgerInvariants.CheckAll(sim.Books.Entries.ToList(), sim.ParentOf)
                .Where(r => !r.Passed).Select(r => r.Name + ": " + string.Join("; ", r.Violations.Select(v => v.Detail + " " + string.Join(",", v.Offending))));
            var problems = sim.Anomalies.Concat(failed).ToList();
            return problems.Count == 0 ? true.Label("ok") : false.Label(string.Join(" | ", problems));
        });

    /// <summary>Law: every organization's trial balance, as of any date, has total debits equal to total credits.</summary>
    [Property(MaxTest = 200)]
    public Property TrialBalanceDebits_EqualCredits() =>
        Prop.ForAll(LedgerGenerators.TreeHistory, input =>
        {
            var sim = LedgerSimulation.Run(input.Tree, input.Events);
            var dates = sim.Books.Entries.Select(e => e.BookingDate).Append(FarFuture).Distinct().ToList();
            return input.Tree.All(o => dates.All(d =>
            {
                var tb = sim.Books.TrialBalance(o.Id, d);
                return tb.TotalDebit == tb.TotalCredit
                    && Money.Sum(tb.Accounts.Select(a => a.SignedBalance)).IsZero;
            }));
        });

    /// <summary>
    /// Law: replaying the whole history of entries (as a redelivering bank or a retried job would) changes nothing:
    /// every replayed entry is reported as a duplicate, and every balance is what it was. Replaying into empty books
    /// rebuilds exactly the same balances.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property ReplayingTheHistoryTwice_LeavesTheBooksUnchanged() =>
        Prop.ForAll(LedgerGenerators.TreeHistory, input =>
        {
            var books = LedgerSimulation.Run(input.Tree, input.Events).Books;
            string Snapshot(Books b) => LedgerProperties.Snapshot(b, input.Tree);
            var before = Snapshot(books);
            var entries = books.Entries.ToList();
            bool allDuplicates = books.PostAll(entries).All(r => r.Status == PostStatus.Duplicate);
            var fresh = new Books();
            fresh.PostAll(entries);
            fresh.PostAll(entries);
            return allDuplicates && books.Entries.Count == entries.Count && Snapshot(books) == before && Snapshot(fresh) == before;
        });

    /// <summary>Law: any balanced entry plus its reversal leaves every account exactly where it was (zero).</summary>
    [Property(MaxTest = 300)]
    public Property AnEntryPlusItsReversal_NetsToZeroOnEveryAccount() =>
        Prop.ForAll(LedgerGenerators.BalancedEntry, entry =>
        {
            var books = new Books();
            books.Post(entry);
            var reversal = entry.Reverse(new EntrySource(SourceKind.Reversal, "R-" + entry.Source.Id), entry.BookingDate, "test");
            bool posted = books.Post(reversal).Status == PostStatus.Posted;
            return posted
                && entry.Lines.All(l => books.Balance(l.Account).IsZero)
                && LedgerInvariants.ReversalsNetToZero(books.Entries).Passed
                && reversal.Total == entry.Total;
        });

    /// <summary>
    /// Law: a period close never creates or loses a đồng: for any amounts, any percentage, either basis and either
    /// rounding, collected = retained + remitted, neither is negative, and the remitted part never exceeds what was
    /// collected (a rule asking for more reports the difference as a shortfall instead).
    /// </summary>
    [Property(MaxTest = 1000)]
    public Property PeriodCloseSplits_LoseNoDong() =>
        Prop.ForAll(Arb.From(
                from own in Gen.Choose(0, int.MaxValue).Select(i => (long)i * 1000)
                from received in Gen.Choose(0, int.MaxValue).Select(i => (long)i * 7)
                from extra in Gen.Choose(0, int.MaxValue)
                from bp in Gen.Choose(0, 10_000)
                from basis in Gen.Elements(RemittanceBasis.Collected, RemittanceBasis.SubtreeCollections)
                from rounding in Gen.Elements(Rounding.Down, Rounding.HalfUp)
                select (own, received, extra, bp, basis, rounding)),
            c =>
            {
                var rule = new RetentionRule("r", LinkSelector.Any, Fees.Domain.Time.Period.FirstOnSystem, Percent.FromBasisPoints(c.bp), c.basis, c.rounding);
                var subtree = Money.Vnd(c.own + c.extra);
                var split = PeriodClose.Compute(Money.Vnd(c.own), Money.Vnd(c.received), subtree, rule);
                return split.Collected == split.Retained + split.Remitted
                    && split.Collected.Dong == c.own + c.received
                    && !split.Retained.IsNegative && !split.Remitted.IsNegative
                    && split.Remitted + split.Shortfall == rule.RemitShare.Of(c.basis == RemittanceBasis.Collected ? split.Collected : subtree, c.rounding)
                    && (c.basis != RemittanceBasis.Collected || split.Shortfall.IsZero);
            });

    private static string Snapshot(Books books, IEnumerable<OrgNode> tree) => string.Join("\n",
        tree.SelectMany(o => books.TrialBalance(o.Id, FarFuture).Accounts)
            .Select(a => a.Account + "=" + a.Debit.Dong.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + a.Credit.Dong.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
