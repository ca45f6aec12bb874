namespace Fees.Domain.Tests.Ledger;

using FsCheck;
using FsCheck.Fluent;
using Fees.Domain.Ledger;
using Fees.Domain.Money;
using Fees.Domain.Time;

/// <summary>FsCheck generators for ledger histories and entries.</summary>
public static class LedgerGenerators
{
    private static readonly Gen<int> Small = Gen.Choose(0, 1000);

    public static Gen<LedgerEvent> Event { get; } = Gen.OneOf(
        // Payments are the common case: weight them.
        PayGen(), PayGen(), PayGen(), PayGen(),
        Small.Select(i => (LedgerEvent)new LedgerEvent.Redeliver(i)),
        Small.Select(i => (LedgerEvent)new LedgerEvent.Redeliver(i)),
        from o in Small from p in Gen.Choose(0, 100) from q in Small select (LedgerEvent)new LedgerEvent.AllocateSuspense(o, p, q),
        from o in Small from m in Small from q in Small select (LedgerEvent)new LedgerEvent.ApplyCredit(o, m, q),
        from o in Small from m in Small from c in Gen.Elements(true, false) from p in Gen.Choose(0, 100)
        select (LedgerEvent)new LedgerEvent.Refund(o, m, c, p),
        Small.Select(i => (LedgerEvent)new LedgerEvent.Reverse(i)),
        Small.Select(i => (LedgerEvent)new LedgerEvent.Close(i)),
        Small.Select(i => (LedgerEvent)new LedgerEvent.Close(i)),
        from o in Small from a in Gen.Elements(true, false) select (LedgerEvent)new LedgerEvent.Remit(o, a),
        from o in Small from a in Gen.Elements(true, false) select (LedgerEvent)new LedgerEvent.Remit(o, a),
        Small.Select(i => (LedgerEvent)new LedgerEvent.Arrive(i)));

    private static Gen<LedgerEvent> PayGen() =>
        from o in Small
        from m in Small
        from a in Gen.Choose(1, 2_000_000)
        from mode in Gen.Choose(0, 2)
        from p in Small
        select (LedgerEvent)new LedgerEvent.Pay(o, m, a, mode, p);

    /// <summary>Histories of up to about 80 events.</summary>
    public static Arbitrary<LedgerEvent[]> History { get; } =
        Arb.From(Gen.Choose(0, 80).SelectMany(n => Event.ArrayOf(n)));

    private static readonly Period Aug = Period.Of(2026, 8);

    private static Gen<AccountKey> AccountGen(long org) => Gen.OneOf(
        Gen.Constant(AccountKey.Bank(org)),
        Gen.Constant(AccountKey.Suspense(org)),
        Gen.Constant(AccountKey.PayableToParent(org)),
        Gen.Choose(0, 3).Select(i => AccountKey.DuesCollected(org, Aug.AddMonths(i))),
        Gen.Choose(0, 3).Select(i => AccountKey.RetainedShare(org, Aug.AddMonths(i))),
        Gen.Choose(0, 3).Select(i => AccountKey.RemittancesReceived(org, Aug.AddMonths(i))),
        Gen.Choose(1, 5).Select(i => AccountKey.MemberCredit(org, i)),
        Gen.Choose(1, 5).Select(i => AccountKey.RemittanceReceivable(org, org + i)));

    /// <summary>Any balanced entry of organization 7: random debit lines, the total split over one to three credit lines.</summary>
    public static Arbitrary<JournalEntry> BalancedEntry { get; } = Arb.From(
        from n in Gen.Choose(1, 4)
        from debits in (from a in AccountGen(7) from d in Gen.Choose(1, 1_000_000_000) select PostingLine.Debit(a, Money.Vnd(d))).ArrayOf(n)
        from credit1 in AccountGen(7)
        from credit2 in AccountGen(7)
        from cutPermille in Gen.Choose(0, 1000)
        from id in Gen.Choose(1, 1_000_000)
        select MakeBalanced(debits, credit1, credit2, cutPermille, id));

    private static JournalEntry MakeBalanced(PostingLine[] debits, AccountKey credit1, AccountKey credit2, int cutPermille, int id)
    {
        var total = Money.Sum(debits.Select(d => d.Amount));
        var first = Money.Vnd(total.Dong * cutPermille / 1000);
        var lines = debits.ToList();
        if (first.IsPositive)
        {
            lines.Add(PostingLine.Credit(credit1, first));
        }
        if ((total - first).IsPositive)
        {
            lines.Add(PostingLine.Credit(credit2, total - first));
        }
        return JournalEntry.Create(new EntrySource(SourceKind.BankReceipt, "G" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new DateOnly(2026, 8, 15), Aug, lines, "generated");
    }
}
