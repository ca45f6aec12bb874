using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Organizations;
using Fees.Domain.Remittance;
using Fees.Domain.Tests.Remittance;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Ledger;

/// <summary>One thing that can happen to the books; fields are small integers the interpreter maps onto the tree.</summary>
public abstract record LedgerEvent
{
    public sealed record Pay(int Org, int Member, long Amount, int Mode, int PeriodIndex) : LedgerEvent;
    public sealed record Redeliver(int Index) : LedgerEvent;
    public sealed record AllocateSuspense(int Org, int Percent, int PeriodIndex) : LedgerEvent;
    public sealed record ApplyCredit(int Org, int Member, int PeriodIndex) : LedgerEvent;
    public sealed record Refund(int Org, int Member, bool FromCredit, int Percent) : LedgerEvent;
    public sealed record Reverse(int Index) : LedgerEvent;
    public sealed record Close(int PeriodIndex) : LedgerEvent;
    public sealed record Remit(int Org, bool ArrivesAtOnce) : LedgerEvent;
    public sealed record Arrive(int Index) : LedgerEvent;
}

/// <summary>
/// Runs a history over a tree (by default the worked-month tree: centre ← P ← U ← B ← C1, C2; E under P), posting
/// through the posting rules into <see cref="Books"/>, and records anything that contradicts the books' promises.
/// Members belong to cells and base cells; every organization but the centre remits.
/// </summary>
public sealed class LedgerSimulation
{
    private static readonly Period[] Periods = [Period.Of(2026, 8), Period.Of(2026, 9), Period.Of(2026, 10)];
    private readonly IReadOnlyList<OrgNode> _tree;
    private readonly long[] _collectors;
    private readonly long[] _remitters;

    private readonly List<(long Child, long Parent, Money Amount, Period Period)> _inTransit = [];
    private int _next;
    private DateOnly _day = new(2026, 8, 1);

    public Books Books { get; } = new();
    public List<string> Anomalies { get; } = [];

    public IReadOnlyDictionary<long, long> ParentOf { get; }

    private LedgerSimulation(IReadOnlyList<OrgNode> tree)
    {
        _tree = tree;
        ParentOf = tree.Where(o => o.ParentId is not null).ToDictionary(o => o.Id, o => o.ParentId!.Value);
        _collectors = tree.Where(o => o.Kind is OrgKind.Cell or OrgKind.BaseCell).Select(o => o.Id).ToArray();
        _remitters = tree.Where(o => o.ParentId is not null).Select(o => o.Id).ToArray();
    }

    public static LedgerSimulation Run(IEnumerable<LedgerEvent> events) => Run(WorkedMonthTests.Tree, events);

    public static LedgerSimulation Run(IReadOnlyList<OrgNode> tree, IEnumerable<LedgerEvent> events)
    {
        var sim = new LedgerSimulation(tree);
        foreach (var e in events)
        {
            sim.Apply(e);
        }
        return sim;
    }

    private string NextId(string prefix) => prefix + (_next++).ToString(CultureInfo.InvariantCulture);

    private void Post(JournalEntry entry)
    {
        var result = Books.Post(entry);
        if (result.Status != PostStatus.Posted)
        {
            Anomalies.Add($"{entry.Source} was not posted: {result.Status} {result.Reason}");
        }
    }

    public void Apply(LedgerEvent e)
    {
        _day = _day.AddDays(1);
        switch (e)
        {
            case LedgerEvent.Pay p:
            {
                long org = _collectors[p.Org % _collectors.Length];
                long member = (org * 100) + 1 + (p.Member % 3);
                var amount = Money.Vnd(p.Amount);
                var period = Periods[p.PeriodIndex % Periods.Length];
                var entry = (p.Mode % 3) switch
                {
                    0 => PostingRules.BankReceipt(org, NextId("FT"), _day, amount, [new DuesAllocation(member, period, amount)], member, "Đảng phí"),
                    1 when p.Amount >= 2 => PostingRules.BankReceipt(org, NextId("FT"), _day, amount,
                        [new DuesAllocation(member, period, Money.Vnd(p.Amount / 2))], member, "Nộp thừa"),
                    _ => PostingRules.BankReceipt(org, NextId("FT"), _day, amount, [], null, "Không rõ người nộp"),
                };
                Post(entry);
                break;
            }
            case LedgerEvent.Redeliver r when Books.Entries.Count > 0:
            {
                var original = Books.Entries[r.Index % Books.Entries.Count];
                int before = Books.Entries.Count;
                var result = Books.Post(original);
                if (result.Status != PostStatus.Duplicate || !ReferenceEquals(result.Entry, original) || Books.Entries.Count != before)
                {
                    Anomalies.Add($"redelivery of {original.Source} changed the books");
                }
                break;
            }
            case LedgerEvent.AllocateSuspense a:
            {
                long org = _collectors[a.Org % _collectors.Length];
                var balance = Books.Balance(AccountKey.Suspense(org));
                if (balance.IsPositive)
                {
                    var amount = Money.Max(Money.Vnd(1), Money.Vnd(balance.Dong * (a.Percent % 101) / 100));
                    Post(PostingRules.Allocate(org, NextId("MA"), _day, Holding.Suspense,
                        [new DuesAllocation((org * 100) + 1, Periods[a.PeriodIndex % Periods.Length], amount)], "Thủ quỹ phân bổ"));
                }
                break;
            }
            case LedgerEvent.ApplyCredit c:
            {
                long org = _collectors[c.Org % _collectors.Length];
                long member = (org * 100) + 1 + (c.Member % 3);
                var balance = Books.Balance(AccountKey.MemberCredit(org, member));
                if (balance.IsPositive)
                {
                    Post(PostingRules.Allocate(org, NextId("CA"), _day, Holding.CreditOf(member),
                        [new DuesAllocation(member, Periods[c.PeriodIndex % Periods.Length], balance)], "Trừ tiền nộp thừa"));
                }
                break;
            }
            case LedgerEvent.Refund f:
            {
                long org = _collectors[f.Org % _collectors.Length];
                var from = f.FromCredit ? Holding.CreditOf((org * 100) + 1 + (f.Member % 3)) : Holding.Suspense;
                var balance = Books.Balance(from.Account(org));
                if (balance.IsPositive)
                {
                    var amount = Money.Max(Money.Vnd(1), Money.Vnd(balance.Dong * (f.Percent % 101) / 100));
                    Post(PostingRules.Refund(org, NextId("RF"), _day, from, amount, "Hoàn trả"));
                }
                break;
            }
            case LedgerEvent.Reverse r:
            {
                var candidates = Books.Entries
                    .Where(x => x.Reverses is null && Books.ReversalOf(x.Source) is null
                        && x.Source.Kind is SourceKind.BankReceipt or SourceKind.Allocation or SourceKind.ManualAllocation or SourceKind.Refund)
                    .ToList();
                if (candidates.Count > 0)
                {
                    var target = candidates[r.Index % candidates.Count];
                    Post(target.Reverse(new EntrySource(SourceKind.Reversal, NextId("RV")), _day, "Điều chỉnh"));
                }
                break;
            }
            case LedgerEvent.Close c:
            {
                var period = Periods[c.PeriodIndex % Periods.Length];
                // Reversals after a close can leave a closed period's collections negative; only open, non-negative periods close.
                bool closable = _tree.All(o =>
                    !Books.Balance(AccountKey.DuesCollected(o.Id, period)).IsNegative
                    && !Books.Balance(AccountKey.RemittancesReceived(o.Id, period)).IsNegative);
                if (closable)
                {
                    foreach (var close in TreeClose.CloseAll(Books, _tree.ToList(), period, _day, RetentionPolicy.Legacy342))
                    {
                        if (close.Split.Collected != close.Split.Retained + close.Split.Remitted)
                        {
                            Anomalies.Add($"close of {close.OrgId} lost money");
                        }
                    }
                }
                break;
            }
            case LedgerEvent.Remit m:
            {
                long org = _remitters[m.Org % _remitters.Length];
                var payable = Books.Balance(AccountKey.PayableToParent(org));
                if (payable.IsPositive)
                {
                    long parent = ParentOf[org];
                    Post(PostingRules.RemittanceSent(org, NextId("RS"), _day, Period.Containing(_day), payable, "Nộp lên cấp trên"));
                    _inTransit.Add((org, parent, payable, Period.Containing(_day)));
                    if (m.ArrivesAtOnce)
                    {
                        Apply(new LedgerEvent.Arrive(_inTransit.Count - 1));
                    }
                }
                break;
            }
            case LedgerEvent.Arrive a when _inTransit.Count > 0:
            {
                var t = _inTransit[a.Index % _inTransit.Count];
                _inTransit.Remove(t);
                Post(PostingRules.RemittanceReceipt(t.Parent, t.Child, NextId("FTP"), _day, t.Period, t.Amount, "Cấp dưới nộp lên"));
                break;
            }
            default:
                break;
        }
    }
}
