using System.Globalization;
using Fees.Domain.Ledger;

namespace Fees.Reports.Hledger;

/// <summary>
/// Reads what <c>hledger -f FILE balance --flat --no-total --empty -O csv</c> prints (<c>"account","balance"</c> rows,
/// amounts like <c>54756 VND</c>, <c>-54756 VND</c> or <c>0</c>) and the same view of a <see cref="TrialBalance"/>,
/// so that the two can be compared account by account.
/// </summary>
public static class HledgerBalanceCsv
{
    /// <summary>Account name → balance in đồng, debit positive.</summary>
    public static IReadOnlyDictionary<string, long> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var raw in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1))
        {
            var cells = raw.Split("\",\"");
            if (cells.Length != 2)
            {
                throw new FormatException($"Unexpected hledger CSV row: {raw}");
            }
            string account = cells[0].TrimStart('"');
            string amount = cells[1].TrimEnd('"').Trim();
            if (amount.EndsWith(" " + HledgerJournalWriter.Commodity, StringComparison.Ordinal))
            {
                amount = amount[..^(HledgerJournalWriter.Commodity.Length + 1)];
            }
            result[account] = long.Parse(amount.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>The trial balance in hledger's terms: account name → debit − credit.</summary>
    public static IReadOnlyDictionary<string, long> FromTrialBalance(TrialBalance trialBalance, Func<AccountKey, string>? accountName = null)
    {
        ArgumentNullException.ThrowIfNull(trialBalance);
        accountName ??= k => k.HledgerName;
        return trialBalance.Accounts.ToDictionary(
            a => HledgerJournalWriter.SanitizeAccountName(accountName(a.Account)), a => a.SignedBalance.Dong, StringComparer.Ordinal);
    }
}
