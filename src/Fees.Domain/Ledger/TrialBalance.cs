using Fees.Domain.Amounts;

namespace Fees.Domain.Ledger;

/// <summary>One account's line of a trial balance.</summary>
/// <param name="Balance">On the account's normal side: debit − credit for assets, credit − debit otherwise.</param>
public sealed record TrialBalanceRow(AccountKey Account, Money Debit, Money Credit, Money Balance)
{
    public string Code => Account.Code;
    public string Name => Account.DisplayName;
    /// <summary>Debit − credit, whatever the account type: the sign hledger prints.</summary>
    public Money SignedBalance => Debit - Credit;
}

/// <summary>
/// An organization's trial balance as of a booking date (inclusive): per account the debit and credit turnover and the
/// balance. Law: <see cref="TotalDebit"/> = <see cref="TotalCredit"/> whenever every entry balances.
/// </summary>
public sealed record TrialBalance(long OrgId, DateOnly AsOf, IReadOnlyList<TrialBalanceRow> Accounts, Money TotalDebit, Money TotalCredit)
{
    /// <summary>Computes the trial balance of <paramref name="orgId"/> from any set of entries (others' are ignored).
    /// Rows are ordered by account code, ordinal.</summary>
    public static TrialBalance Of(IEnumerable<IPostedEntry> entries, long orgId, DateOnly asOf)
    {
        var totals = new Dictionary<AccountKey, (Money Debit, Money Credit)>();
        foreach (var entry in entries.Where(e => e.BookingDate <= asOf))
        {
            foreach (var line in entry.Lines.Where(l => l.Account.OrgId == orgId))
            {
                totals.TryGetValue(line.Account, out var t);
                totals[line.Account] = line.Side == Side.Debit ? (t.Debit + line.Amount, t.Credit) : (t.Debit, t.Credit + line.Amount);
            }
        }
        var rows = totals
            .Select(p => new TrialBalanceRow(p.Key, p.Value.Debit, p.Value.Credit,
                p.Key.NormalSide == Side.Debit ? p.Value.Debit - p.Value.Credit : p.Value.Credit - p.Value.Debit))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
        return new TrialBalance(orgId, asOf, rows.AsReadOnly(),
            Money.Sum(rows.Select(r => r.Debit)), Money.Sum(rows.Select(r => r.Credit)));
    }

    /// <summary>The normal-side balance of one account (zero when it never moved).</summary>
    public Money BalanceOf(AccountKey account) => Accounts.FirstOrDefault(r => r.Account == account)?.Balance ?? Money.Zero;
}
