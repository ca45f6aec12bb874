using System.Globalization;
using System.Text;

namespace FakeBank.Rewriting;

internal static class VietnameseText
{
    /// <summary>
    /// What a bank does to a name or a note: drops every combining mark (tones, breve, circumflex, horn) and turns
    /// <c>đ</c>/<c>Đ</c>, which are letters of their own and not a d with a mark, into <c>d</c>/<c>D</c>.
    /// </summary>
    public static string StripDiacritics(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(c switch
            {
                'đ' => 'd',
                'Đ' => 'D',
                _ => c,
            });
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>A name as banks print it: no diacritics, upper case (<c>Nguyễn Văn Đức</c> → <c>NGUYEN VAN DUC</c>).</summary>
    public static string AsBankName(string? name) =>
        name is null ? "" : StripDiacritics(name).ToUpperInvariant();
}
