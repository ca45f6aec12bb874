using System.Globalization;
using Fees.Domain.Amounts;

namespace Fees.Domain.Ledger;

/// <summary>One broken rule: which check, what is wrong, and the ids of the offending entries or accounts.</summary>
public sealed record InvariantViolation(string Check, string Detail, IReadOnlyList<string> Offending);

/// <summary>The outcome of one named check.</summary>
public sealed record InvariantResult(string Name, string Law, IReadOnlyList<InvariantViolation> Violations)
{
    public bool Passed => Violations.Count == 0;
}

/// <summary>
/// Where the money members paid into a subtree is now. Law (<see cref="LedgerInvariants.MoneyConserved"/>):
/// <c>MembersPaid = Retained + OpenCollections + MemberCredit + Suspense + Payable − Receivable + RemittedOutOrInTransit</c>.
/// </summary>
/// <param name="MembersPaid">Bank credits of member receipts minus refunds (reversals counted against what they reverse).</param>
/// <param name="OpenCollections">Dues collected and remittances received not yet closed.</param>
/// <param name="Payable">Closes' shares payable upward and not yet sent.</param>
/// <param name="Receivable">Children's shares closed and not yet arrived (counted at the child as payable or in transit).</param>
/// <param name="RemittedOutOrInTransit">Remittances that left a bank account of the set and did not arrive at one of its banks.</param>
public sealed record ConservationTotals(Money MembersPaid, Money Retained, Money OpenCollections, Money MemberCredit,
    Money Suspense, Money Payable, Money Receivable, Money RemittedOutOrInTransit)
{
    public Money Accounted => Retained + OpenCollections + MemberCredit + Suspense + Payable - Receivable + RemittedOutOrInTransit;
}

/// <summary>
/// The ledger's laws as pure checks over a set of posted entries (the in-memory books, or rows read from the live
/// database). A check never throws on bad data: it returns the violations as values.
/// </summary>
public static class LedgerInvariants
{
    public const string EntriesBalanceName = "entries-balance";
    public const string SourcesUniqueName = "sources-unique";
    public const string ReversalsNetToZeroName = "reversals-net-to-zero";
    public const string ClosesSplitExactlyName = "closes-split-exactly";
    public const string MoneyConservedName = "money-conserved";
    public const string PostingsFollowTheChartName = "postings-follow-the-chart";

    /// <summary>
    /// Which (side, account type) each kind of source may post to; a reversal posts the swapped shape of what it reverses.
    /// A receipt crediting the wrong liability balances and conserves money, so only this check sees it.
    /// </summary>
    public static IReadOnlyDictionary<SourceKind, IReadOnlySet<(Side Side, AccountType Type)>> Chart { get; } =
        new Dictionary<SourceKind, IReadOnlySet<(Side, AccountType)>>
        {
            [SourceKind.BankReceipt] = Shape([AccountType.Bank], [AccountType.DuesCollected, AccountType.MemberCredit, AccountType.Suspense]),
            [SourceKind.Allocation] = Shape([AccountType.MemberCredit], [AccountType.DuesCollected]),
            [SourceKind.ManualAllocation] = Shape([AccountType.Suspense], [AccountType.DuesCollected]),
            [SourceKind.Refund] = Shape([AccountType.Suspense, AccountType.MemberCredit], [AccountType.Bank]),
            [SourceKind.PeriodClose] = Shape([AccountType.DuesCollected, AccountType.RemittancesReceived], [AccountType.RetainedShare, AccountType.PayableToParent]),
            [SourceKind.ChildPeriodClose] = Shape([AccountType.RemittanceReceivable], [AccountType.RemittancesReceived]),
            [SourceKind.RemittanceSent] = Shape([AccountType.PayableToParent], [AccountType.Bank]),
            [SourceKind.RemittanceReceipt] = Shape([AccountType.Bank], [AccountType.RemittanceReceivable]),
            [SourceKind.CashReceipt] = Shape([AccountType.Cash], [AccountType.DuesCollected, AccountType.MemberCredit]),
            [SourceKind.CashDeposit] = Shape([AccountType.Suspense], [AccountType.Cash]),
        };

    private static HashSet<(Side, AccountType)> Shape(AccountType[] debits, AccountType[] credits) =>
        debits.Select(t => (Side.Debit, t)).Concat(credits.Select(t => (Side.Credit, t))).ToHashSet();

    /// <summary>Every check. Pass the entries of a whole subtree (all its organizations' books) for the conservation check to mean
    /// what it says; <paramref name="parentOf"/> (child id → parent id), when given, also requires each close's counterpart
    /// in the parent's books whenever those books are in the set.</summary>
    public static IReadOnlyList<InvariantResult> CheckAll(IReadOnlyCollection<IPostedEntry> entries,
        IReadOnlyDictionary<long, long>? parentOf = null) =>
    [
        EntriesBalance(entries),
        SourcesUnique(entries),
        ReversalsNetToZero(entries),
        ClosesSplitExactly(entries, parentOf),
        MoneyConserved(entries),
        PostingsFollowTheChart(entries),
    ];

    /// <summary>Each entry posts only to the accounts its kind of source may move (see <see cref="Chart"/>).</summary>
    public static InvariantResult PostingsFollowTheChart(IEnumerable<IPostedEntry> entries)
    {
        var violations = new List<InvariantViolation>();
        foreach (var e in entries)
        {
            var kind = e.Reverses?.Kind ?? e.Source.Kind;
            bool reversal = e.Reverses is not null;
            if (reversal != (e.Source.Kind == SourceKind.Reversal) || !Chart.TryGetValue(kind, out var allowed))
            {
                violations.Add(new InvariantViolation(PostingsFollowTheChartName, "a reversal must have kind reversal and reverse a non-reversal", [e.Source.ToString()]));
                continue;
            }
            var wrong = e.Lines
                .Where(l => !allowed.Contains((reversal ? l.Side.Opposite() : l.Side, l.Account.Type)))
                .Select(l => l.Side + " " + l.Account.Code)
                .ToList();
            if (wrong.Count > 0)
            {
                violations.Add(new InvariantViolation(PostingsFollowTheChartName,
                    "posts to accounts a " + new EntrySource(kind, "x").KindCode + " never moves: " + string.Join(", ", wrong), [e.Source.ToString()]));
            }
        }
        return new InvariantResult(PostingsFollowTheChartName, "Each kind of event moves only its own accounts (a receipt never touches a receivable, a close never the bank).", violations);
    }

    /// <summary>Every entry has two or more lines, positive amounts, one organization's accounts, Σdebit = Σcredit.</summary>
    public static InvariantResult EntriesBalance(IEnumerable<IPostedEntry> entries)
    {
        var violations = new List<InvariantViolation>();
        foreach (var e in entries)
        {
            string? problem = null;
            if (e.Lines.Count < 2)
            {
                problem = "fewer than two lines";
            }
            else if (e.Lines.Any(l => !l.Amount.IsPositive))
            {
                problem = "a line amount that is not positive";
            }
            else if (e.Lines.Select(l => l.Account.OrgId).Distinct().Count() != 1)
            {
                problem = "lines in more than one organization's books";
            }
            else
            {
                var net = Money.Sum(e.Lines.Select(l => l.Signed));
                if (!net.IsZero)
                {
                    problem = "debits and credits differ by " + net.Dong.ToString(CultureInfo.InvariantCulture) + " đồng";
                }
            }
            if (problem is not null)
            {
                violations.Add(new InvariantViolation(EntriesBalanceName, problem, [e.Source.ToString()]));
            }
        }
        return new InvariantResult(EntriesBalanceName, "Every entry balances in whole đồng, in one organization's books.", violations);
    }

    /// <summary>No source (kind, id) appears twice, and no entry is reversed twice.</summary>
    public static InvariantResult SourcesUnique(IEnumerable<IPostedEntry> entries)
    {
        var list = entries.ToList();
        var violations = list.GroupBy(e => e.Source).Where(g => g.Count() > 1)
            .Select(g => new InvariantViolation(SourcesUniqueName,
                string.Create(CultureInfo.InvariantCulture, $"posted {g.Count()} times"), [g.Key.ToString()]))
            .Concat(list.Where(e => e.Reverses is not null).GroupBy(e => e.Reverses!.Value).Where(g => g.Count() > 1)
                .Select(g => new InvariantViolation(SourcesUniqueName, "reversed more than once by " + string.Join(", ", g.Select(e => e.Source)),
                    [g.Key.ToString()])))
            .ToList();
        return new InvariantResult(SourcesUniqueName, "Each source event posts at most once, whatever the retries; an entry is reversed at most once.", violations);
    }

    /// <summary>Each reversal names an entry in the set, and the two together net to zero on every account.</summary>
    public static InvariantResult ReversalsNetToZero(IEnumerable<IPostedEntry> entries)
    {
        var list = entries.ToList();
        var bySource = list.GroupBy(e => e.Source).ToDictionary(g => g.Key, g => g.First());
        var violations = new List<InvariantViolation>();
        foreach (var reversal in list.Where(e => e.Reverses is not null))
        {
            if (!bySource.TryGetValue(reversal.Reverses!.Value, out var original))
            {
                violations.Add(new InvariantViolation(ReversalsNetToZeroName, "reverses an entry that is not in the books",
                    [reversal.Source.ToString(), reversal.Reverses.Value.ToString()]));
                continue;
            }
            var nonZero = original.Lines.Concat(reversal.Lines)
                .GroupBy(l => l.Account)
                .Where(g => !Money.Sum(g.Select(l => l.Signed)).IsZero)
                .Select(g => g.Key.ToString())
                .ToList();
            if (nonZero.Count > 0)
            {
                violations.Add(new InvariantViolation(ReversalsNetToZeroName,
                    "entry and reversal do not cancel on " + string.Join(", ", nonZero),
                    [original.Source.ToString(), reversal.Source.ToString()]));
            }
        }
        return new InvariantResult(ReversalsNetToZeroName, "An entry plus its reversal nets to zero on every account.", violations);
    }

    /// <summary>
    /// Each close moves exactly the collections it sweeps: its debits are only DuesCollected(q) and RemittancesReceived(q)
    /// for q ≤ p (its own period, or an earlier one paid late),
    /// its credits only RetainedShare(p) and PayableToParent, so collected = retained + remitted to the đồng; and the
    /// counterpart in the parent's books is the remitted amount exactly.
    /// </summary>
    public static InvariantResult ClosesSplitExactly(IEnumerable<IPostedEntry> entries, IReadOnlyDictionary<long, long>? parentOf = null)
    {
        var list = entries.Where(e => e.Reverses is null).ToList();
        var orgsInSet = list.SelectMany(e => e.Lines).Select(l => l.Account.OrgId).ToHashSet();
        var closes = list.Where(e => e.Source.Kind == SourceKind.PeriodClose).ToDictionary(e => e.Source.Id, e => e);
        var counterparts = list.Where(e => e.Source.Kind == SourceKind.ChildPeriodClose).ToDictionary(e => e.Source.Id, e => e);
        var violations = new List<InvariantViolation>();
        void Add(string detail, params string[] ids) => violations.Add(new InvariantViolation(ClosesSplitExactlyName, detail, ids));

        foreach (var (id, close) in closes)
        {
            var p = close.Period;
            bool shapeOk = close.Lines.All(l => (l.Side, l.Account.Type) switch
            {
                (Side.Debit, AccountType.DuesCollected or AccountType.RemittancesReceived) => l.Account.Period <= p,
                (Side.Credit, AccountType.RetainedShare) => l.Account.Period == p,
                (Side.Credit, AccountType.PayableToParent) => true,
                _ => false,
            });
            var collected = Money.Sum(close.Lines.Where(l => l.Side == Side.Debit).Select(l => l.Amount));
            var retained = Money.Sum(close.Lines.Where(l => l.Account.Type == AccountType.RetainedShare).Select(l => l.Amount));
            var remitted = Money.Sum(close.Lines.Where(l => l.Account.Type == AccountType.PayableToParent).Select(l => l.Amount));
            if (!shapeOk || collected != retained + remitted)
            {
                Add(string.Create(CultureInfo.InvariantCulture,
                    $"close of {p} does not split its collections: collected {collected.Dong}, retained {retained.Dong}, remitted {remitted.Dong}"),
                    close.Source.ToString());
            }
            long org = close.Lines[0].Account.OrgId;
            if (counterparts.TryGetValue(id, out var counterpart))
            {
                if (counterpart.Total() != remitted || counterpart.Period != p)
                {
                    Add(string.Create(CultureInfo.InvariantCulture,
                        $"the parent booked {counterpart.Total().Dong} for a close that remits {remitted.Dong}"),
                        close.Source.ToString(), counterpart.Source.ToString());
                }
            }
            else if (remitted.IsPositive && parentOf is not null && parentOf.TryGetValue(org, out long parent) && orgsInSet.Contains(parent))
            {
                Add("the parent's books have no counterpart for this close", close.Source.ToString());
            }
        }
        foreach (var (id, counterpart) in counterparts)
        {
            var receivable = counterpart.Lines.FirstOrDefault(l => l.Account.Type == AccountType.RemittanceReceivable);
            if (receivable.Account.ChildOrgId is { } child && orgsInSet.Contains(child) && !closes.ContainsKey(id))
            {
                Add("the parent booked a child's close that is not in the child's books", counterpart.Source.ToString());
            }
        }
        return new InvariantResult(ClosesSplitExactlyName, "For every organization and period: collected = retained + remitted, to the đồng.", violations);
    }

    /// <summary>Where members' money is now, over the given entries (pass a whole subtree).</summary>
    public static ConservationTotals Conservation(IEnumerable<IPostedEntry> entries, out IReadOnlyList<string> unclassifiedBankMoves)
    {
        Money paid = Money.Zero, remitOut = Money.Zero, retained = Money.Zero, open = Money.Zero, credit = Money.Zero,
            suspense = Money.Zero, payable = Money.Zero, receivable = Money.Zero;
        var unclassified = new List<string>();
        foreach (var e in entries)
        {
            var kind = e.Reverses?.Kind ?? e.Source.Kind;
            foreach (var l in e.Lines)
            {
                // Credit-normal accounts counted credit-positive, assets debit-positive.
                var credit1 = -l.Signed;
                switch (l.Account.Type)
                {
                    case AccountType.Bank:
                        switch (kind)
                        {
                            case SourceKind.BankReceipt or SourceKind.Refund: paid += l.Signed; break;
                            case SourceKind.RemittanceSent or SourceKind.RemittanceReceipt: remitOut -= l.Signed; break;
                            default: unclassified.Add(e.Source.ToString()); break;
                        }
                        break;
                    case AccountType.RetainedShare: retained += credit1; break;
                    case AccountType.DuesCollected or AccountType.RemittancesReceived: open += credit1; break;
                    case AccountType.MemberCredit: credit += credit1; break;
                    case AccountType.Suspense: suspense += credit1; break;
                    case AccountType.PayableToParent: payable += credit1; break;
                    case AccountType.RemittanceReceivable: receivable += l.Signed; break;
                    // Cash members paid the treasurer, until the bank confirms its deposit (then it is counted as the bank receipt).
                    case AccountType.Cash: paid += l.Signed; break;
                    default: unclassified.Add(e.Source.ToString()); break;
                }
            }
        }
        unclassifiedBankMoves = unclassified;
        return new ConservationTotals(paid, retained, open, credit, suspense, payable, receivable, remitOut);
    }

    /// <summary>
    /// Money is conserved across a subtree: what members paid (net of refunds) = retained shares at all levels + open
    /// collections + payable upward − receivable from children + remittances out of the set or in transit + member credit + suspense.
    /// </summary>
    public static InvariantResult MoneyConserved(IEnumerable<IPostedEntry> entries)
    {
        var totals = Conservation(entries, out var unclassified);
        var violations = new List<InvariantViolation>();
        if (unclassified.Count > 0)
        {
            violations.Add(new InvariantViolation(MoneyConservedName, "the bank account moved in an entry that is not a receipt, refund or remittance",
                unclassified.Distinct().ToList()));
        }
        if (totals.MembersPaid != totals.Accounted)
        {
            violations.Add(new InvariantViolation(MoneyConservedName, string.Create(CultureInfo.InvariantCulture,
                $"members paid {totals.MembersPaid.Dong} but {totals.Accounted.Dong} is accounted for ({totals})"), []));
        }
        return new InvariantResult(MoneyConservedName,
            "What members paid = retained at every level + payable or in transit + member credit + suspense + not yet closed.", violations);
    }

    private static Money Total(this IPostedEntry entry) => Money.Sum(entry.Lines.Where(l => l.Side == Side.Debit).Select(l => l.Amount));
}
