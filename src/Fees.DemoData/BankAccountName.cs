using System.Globalization;
using System.Text;

namespace Fees.DemoData;

/// <summary>Vietnamese text to the form a bank prints an account holder in: upper-case ASCII, no diacritics.</summary>
public static class BankAccountName
{
    /// <summary>
    /// "Đảng ủy xã Tân Lập" → "DANG UY XA TAN LAP". Diacritics are dropped after canonical decomposition;
    /// đ/Đ do not decompose (they are letters, not marks) so they map to D explicitly. Anything that is not a
    /// letter or digit becomes a single space.
    /// </summary>
    public static string From(string vietnamese)
    {
        string decomposed = vietnamese.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        bool pendingSpace = false;
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            char mapped = c switch
            {
                'đ' or 'Đ' => 'D',
                >= 'a' and <= 'z' => (char)(c - 'a' + 'A'),
                >= 'A' and <= 'Z' or >= '0' and <= '9' => c,
                _ => ' ',
            };
            if (mapped == ' ')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }
            sb.Append(mapped);
        }
        return sb.ToString();
    }
}
