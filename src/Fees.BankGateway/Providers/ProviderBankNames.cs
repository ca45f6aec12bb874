using System.Text;
using Fees.Domain.Banking;
using Fees.Domain.Text;

namespace Fees.BankGateway.Providers;

/// <summary>
/// Resolves the bank names and abbreviations that SePay (<c>gateway</c>, <c>bank_brand_name</c>) and Casso
/// (<c>bankName</c>, <c>bankAbbreviation</c>) send to a NAPAS BIN, only where the match is unambiguous.
/// </summary>
/// <remarks>
/// <para>A name is folded before lookup: diacritics stripped, upper-cased, everything but <c>[A-Z0-9]</c> dropped, so
/// <c>MB Bank</c>, <c>MBBank</c> and <c>mbbank</c> are one key. Keys are every <see cref="NapasBank.ShortName"/>,
/// <see cref="NapasBank.FormerName"/> and legal <see cref="NapasBank.Name"/> in <see cref="NapasBanks.All"/>, plus the
/// aliases below.</para>
/// <para>A key that leads to more than one BIN resolves to nothing: <c>CIMB</c> has two BINs (970459 and 422589), so a
/// CIMB account gets a <see langword="null"/> BIN rather than a guess. A matcher must cope with a null BIN anyway.</para>
/// <para>[U] Which exact strings the providers send is not verified: the aliases are SePay's gateway spellings seen in
/// public integrations (<c>MBBank</c>, <c>KienLongBank</c>) and the VietQR short codes an abbreviation field plausibly
/// carries (<c>VCB</c>, <c>ICB</c>, <c>TCB</c>…). Codes known to mean different banks in different lists are left out
/// (<c>BVB</c>: BaoViet Bank in VietQR lists, easily read as BVBank).</para>
/// </remarks>
public static class ProviderBankNames
{
    // Alias → the ShortName in NapasBanks it stands for.
    private static readonly (string Alias, string ShortName)[] Aliases =
    [
        ("MBBank", "MB"),
        ("MB Bank", "MB"),
        ("Quan Doi", "MB"),
        ("VCB", "Vietcombank"),
        ("ICB", "VietinBank"),
        ("VTB", "VietinBank"),
        ("CTG", "VietinBank"),
        ("VBA", "Agribank"),
        ("TCB", "Techcombank"),
        ("VPB", "VPBank"),
        ("TPB", "TPBank"),
        ("STB", "Sacombank"),
        ("HDB", "HDBank"),
        ("EIB", "Eximbank"),
        ("LPB", "LPBank"),
        ("SEAB", "SeABank"),
        ("ABB", "ABBANK"),
        ("NAB", "Nam A Bank"),
        ("PVCB", "PVcomBank"),
        ("SGICB", "Saigonbank"),
        ("BAB", "Bac A Bank"),
        ("KLB", "Kienlongbank"),
        ("VCCB", "BVBank"),
        ("SHBVN", "Shinhan Bank"),
        ("WVN", "Woori Bank"),
    ];

    private static readonly Dictionary<string, HashSet<string>> BinsByKey = BuildIndex();

    /// <summary>
    /// The BIN every non-blank candidate that resolves agrees on, or <see langword="null"/> when none resolves, a key is
    /// ambiguous, or two candidates resolve to different banks. Pass the most specific field first; order does not change the result.
    /// </summary>
    /// <param name="candidates">Provider fields naming the bank (<c>bankAbbreviation</c>, <c>bankName</c>); nulls are skipped.</param>
    public static string? ResolveBin(params string?[] candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        string? found = null;
        foreach (string? candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate) || !BinsByKey.TryGetValue(Fold(candidate), out var bins))
            {
                continue;
            }
            if (bins.Count != 1)
            {
                return null;
            }
            string bin = bins.First();
            if (found is not null && found != bin)
            {
                return null;
            }
            found = bin;
        }
        return found;
    }

    /// <summary>The lookup key of a name: no diacritics, upper case, <c>[A-Z0-9]</c> only.</summary>
    public static string Fold(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (char c in VietnameseText.StripDiacritics(name).ToUpperInvariant())
        {
            if (char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static Dictionary<string, HashSet<string>> BuildIndex()
    {
        var index = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Add(string name, string bin)
        {
            string key = Fold(name);
            if (key.Length == 0)
            {
                return;
            }
            if (!index.TryGetValue(key, out var bins))
            {
                index[key] = bins = new HashSet<string>(StringComparer.Ordinal);
            }
            bins.Add(bin);
        }
        foreach (var bank in NapasBanks.All)
        {
            Add(bank.ShortName, bank.Bin);
            Add(bank.Name, bank.Bin);
            if (bank.FormerName is not null)
            {
                Add(bank.FormerName, bank.Bin);
            }
        }
        foreach (var (alias, shortName) in Aliases)
        {
            foreach (var bank in NapasBanks.All.Where(b => b.ShortName == shortName))
            {
                Add(alias, bank.Bin);
            }
        }
        return index;
    }
}
