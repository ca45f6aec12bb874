using System.Globalization;
using System.Text;

namespace Fees.Domain.Text;

/// <summary>Folding Vietnamese text to the plain ASCII that banks and VietQR fields carry.</summary>
public static class VietnameseText
{
    /// <summary>
    /// Removes Vietnamese diacritics: tone and vowel marks are dropped (<c>ả</c> → <c>a</c>, <c>ơ</c> → <c>o</c>) and
    /// <c>đ</c>/<c>Đ</c>, which Unicode does not decompose, become <c>d</c>/<c>D</c>. Other characters are kept as they are,
    /// so the result is ASCII only when the input was Vietnamese or ASCII.
    /// </summary>
    public static string StripDiacritics(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            switch (c)
            {
                case 'đ':
                    builder.Append('d');
                    break;
                case 'Đ':
                    builder.Append('D');
                    break;
                default:
                    if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Printable ASCII, U+0020 to U+007E: the EMVCo "ANS" set as banks accept it.</summary>
    public static bool IsPrintableAscii(char c) => c is >= ' ' and <= '~';

    public static bool IsPrintableAscii(string text) => text.All(IsPrintableAscii);
}
