using System.Globalization;
using System.Text;
using Fees.Domain.Ledger;

namespace Fees.Reports.Hledger;

/// <summary>
/// Writes one organization's books as an hledger / ledger-cli journal, for auditors (CONTRACT:
/// <c>GET /api/orgs/{orgCode}/journal?format=hledger</c>). Its balances equal the trial balance.
/// </summary>
/// <remarks>
/// Format: <c>2026-08-15 (bank-receipt:FT1) memo</c>, then one indented posting per line,
/// <c>    assets:bank  54756 VND</c> — amounts as plain integers (debit positive, credit negative) in commodity
/// <c>VND</c>, at least two spaces between account and amount. A reversal carries a <c>reverses:</c> tag. Entries are
/// ordered by booking date, then source (kind code, id, ordinal), so the same books always give the same bytes.
/// Invariant culture throughout.
/// </remarks>
public static class HledgerJournalWriter
{
    public const string Commodity = "VND";

    /// <summary>Writes the entries of <paramref name="orgId"/> (others are skipped).</summary>
    /// <param name="accountName">Optional naming (e.g. with member numbers and org codes instead of ids); defaults to
    /// <see cref="AccountKey.HledgerName"/>. Whatever it returns is sanitised.</param>
    public static void Write(TextWriter writer, IEnumerable<JournalEntry> entries, long orgId, Func<AccountKey, string>? accountName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        accountName ??= k => k.HledgerName;
        var ordered = entries.Where(e => e.OrgId == orgId)
            .OrderBy(e => e.BookingDate)
            .ThenBy(e => e.Source.KindCode, StringComparer.Ordinal)
            .ThenBy(e => e.Source.Id, StringComparer.Ordinal);
        bool first = true;
        foreach (var e in ordered)
        {
            if (!first)
            {
                writer.Write('\n');
            }
            first = false;
            writer.Write(e.BookingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.Write(" (");
            writer.Write(SanitizeText(e.Source.ToString()));
            writer.Write(") ");
            writer.Write(SanitizeText(e.Memo));
            writer.Write('\n');
            writer.Write("    ; period: " + e.Period.ToString() + "\n");
            if (e.Reverses is { } reversed)
            {
                writer.Write("    ; reverses: " + SanitizeText(reversed.ToString()) + "\n");
            }
            var names = e.Lines.Select(l => SanitizeAccountName(accountName(l.Account))).ToList();
            int width = names.Max(n => n.Length) + 2;
            for (int i = 0; i < e.Lines.Count; i++)
            {
                writer.Write("    ");
                writer.Write(names[i].PadRight(width));
                writer.Write(e.Lines[i].Signed.Dong.ToString(CultureInfo.InvariantCulture).PadLeft(14));
                writer.Write(' ');
                writer.Write(Commodity);
                writer.Write('\n');
            }
        }
    }

    public static string Write(IEnumerable<JournalEntry> entries, long orgId, Func<AccountKey, string>? accountName = null)
    {
        var sb = new StringBuilder();
        using var writer = new StringWriter(sb, CultureInfo.InvariantCulture);
        Write(writer, entries, orgId, accountName);
        return sb.ToString();
    }

    /// <summary>
    /// An account name hledger reads back as written: no control characters, no <c>;</c> (a comment), no runs of two
    /// spaces and no tabs (they end the name), no brackets or parentheses at the ends (virtual postings), no empty
    /// segments.
    /// </summary>
    public static string SanitizeAccountName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var sb = new StringBuilder(name.Length);
        foreach (char c in name.Trim())
        {
            char d = char.IsControl(c) || char.IsWhiteSpace(c) || c is ';' or '(' or ')' or '[' or ']' or '#' ? '-' : c;
            sb.Append(d);
        }
        var segments = sb.ToString().Split(':').Select(s => s.Trim('-')).Where(s => s.Length > 0);
        string result = string.Join(':', segments);
        return result.Length > 0 ? result : "unnamed";
    }

    /// <summary>A description or code on one line, without a comment character.</summary>
    public static string SanitizeText(string text) =>
        new(text.Select(c => char.IsControl(c) ? ' ' : c == ';' ? ',' : c).ToArray());
}
