using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Organizations;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using FsCheck.Fluent;
using FsCheck;

namespace Fees.Domain.Tests.Ledger;

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

    /// <summary>Histories of up to 80 events.</summary>
    public static Gen<LedgerEvent[]> Events { get; } = Gen.Choose(0, 80).SelectMany(n => Event.ArrayOf(n));

    /// <summary>Histories over the worked-month tree.</summary>
    public static Arbitrary<LedgerEvent[]> History { get; } = Arb.From(Events);

    /// <summary>
    /// A small random tree under the charter's levels: the centre, one or two provinces, under each one to three of
    /// an upper committee (with base organizations under it), a base committee (cells, sometimes a sub-committee with
    /// cells) or a base cell; settings commune, enterprise or other at random.
    /// </summary>
    public static Gen<OrgNode[]> Tree { get; } = Gen.Choose(0, int.MaxValue).Select(BuildTree);

    /// <summary>A random tree and a history over it.</summary>
    public static Arbitrary<(OrgNode[] Tree, LedgerEvent[] Events)> TreeHistory { get; } =
        Arb.From(from t in Tree from e in Events select (t, e));

    private static OrgNode[] BuildTree(int seed)
    {
        var random = new Random(seed);
        var nodes = new List<OrgNode> { new(1, null, OrgKind.Central, OrgSetting.Other) };
        long next = 2;
        OrgSetting AnySetting() => (OrgSetting)random.Next(3);
        long Add(long parent, OrgKind kind, OrgSetting setting)
        {
            long id = next++;
            nodes.Add(new OrgNode(id, parent, kind, setting));
            return id;
        }
        void Base(long parent)
        {
            if (random.Next(3) == 0)
            {
                Add(parent, OrgKind.BaseCell, AnySetting());
                return;
            }
            var setting = AnySetting();
            long b = Add(parent, OrgKind.BaseCommittee, setting);
            for (int i = random.Next(1, 4); i > 0; i--)
            {
                Add(b, OrgKind.Cell, setting);
            }
            if (random.Next(3) == 0)
            {
                long sub = Add(b, OrgKind.SubCommittee, setting);
                for (int i = random.Next(1, 3); i > 0; i--)
                {
                    Add(sub, OrgKind.Cell, setting);
                }
            }
        }
        for (int p = random.Next(1, 3); p > 0; p--)
        {
            long province = Add(1, OrgKind.Province, OrgSetting.Other);
            for (int c = random.Next(1, 4); c > 0; c--)
            {
                if (random.Next(2) == 0)
                {
                    long upper = Add(province, OrgKind.Upper, OrgSetting.Commune);
                    for (int b = random.Next(1, 3); b > 0; b--)
                    {
                        Base(upper);
                    }
                }
                else
                {
                    Base(province);
                }
            }
        }
        return nodes.ToArray();
    }

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
