using Fees.Domain.Amounts;

namespace Fees.Domain.Text;

/// <summary>
/// Numbers in Vietnamese words, as receipts and accounting vouchers write the amount "bằng chữ":
/// 54,756 → <c>năm mươi tư nghìn bảy trăm năm mươi sáu</c>.
/// </summary>
/// <remarks>
/// The conventions (those of accounting software and the State Treasury's vouchers, northern usage):
/// <list type="bullet">
/// <item>groups of three digits with <c>nghìn</c> (10³), <c>triệu</c> (10⁶) and <c>tỷ</c> (10⁹); above a billion the
/// count of billions is read as a number of its own: 1,200,000,000,000 → <c>một nghìn hai trăm tỷ</c>, 10¹⁸ →
/// <c>một tỷ tỷ</c>;</item>
/// <item>a group of zeros is not read (2,000,005 → <c>hai triệu không trăm linh năm</c>), and every group after the
/// first one read says its hundreds, <c>không trăm</c> included;</item>
/// <item>a zero ten before a unit is <c>linh</c> (105 → <c>một trăm linh năm</c>);</item>
/// <item>ten is <c>mười</c>, twenty and up <c>… mươi</c>; after <c>mươi</c> one is <c>mốt</c> and four is
/// <c>tư</c> (21 → <c>hai mươi mốt</c>, 54 → <c>năm mươi tư</c>); after <c>mười</c> or <c>mươi</c> five is
/// <c>lăm</c> (15 → <c>mười lăm</c>); elsewhere the plain digit (14 → <c>mười bốn</c>, 104 → <c>một trăm linh bốn</c>).</item>
/// </list>
/// </remarks>
public static class VietnameseNumberWords
{
    private const long Billion = 1_000_000_000;

    private static readonly string[] Digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

    /// <summary>Every word <see cref="Of"/> can write.</summary>
    public static IReadOnlySet<string> Vocabulary { get; } = new HashSet<string>(
        Digits.Concat(["mốt", "tư", "lăm", "mười", "mươi", "trăm", "linh", "nghìn", "triệu", "tỷ"]), StringComparer.Ordinal);

    /// <summary>The number in lower-case words, single spaces between them; zero is <c>không</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative number.</exception>
    public static string Of(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        if (number == 0)
        {
            return Digits[0];
        }
        var words = new List<string>();
        Append(words, number, leading: true);
        return string.Join(' ', words);
    }

    /// <summary>
    /// An amount as a receipt writes it "bằng chữ": capitalised, ending in <c>đồng</c>:
    /// <c>Năm mươi tư nghìn bảy trăm năm mươi sáu đồng</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative amount.</exception>
    public static string Dong(Money amount)
    {
        string words = Of(amount.Dong);
        return string.Concat(char.ToUpperInvariant(words[0]).ToString(), words.AsSpan(1), " đồng");
    }

    /// <summary>
    /// Appends <paramref name="number"/> (&gt; 0). <paramref name="leading"/>: nothing was read before it, so its first
    /// group is read short (no <c>không trăm</c>, no <c>linh</c> without hundreds).
    /// </summary>
    private static void Append(List<string> words, long number, bool leading)
    {
        if (number >= Billion)
        {
            Append(words, number / Billion, leading);
            words.Add("tỷ");
            long rest = number % Billion;
            if (rest > 0)
            {
                AppendBelowBillion(words, rest, leading: false);
            }
            return;
        }
        AppendBelowBillion(words, number, leading);
    }

    private static void AppendBelowBillion(List<string> words, long number, bool leading)
    {
        ReadOnlySpan<(int Value, string Unit)> groups =
        [
            ((int)(number / 1_000_000), "triệu"),
            ((int)(number / 1_000 % 1_000), "nghìn"),
            ((int)(number % 1_000), ""),
        ];
        bool first = leading;
        foreach (var (value, unit) in groups)
        {
            if (value == 0)
            {
                continue;
            }
            AppendGroup(words, value, full: !first);
            if (unit.Length > 0)
            {
                words.Add(unit);
            }
            first = false;
        }
    }

    /// <summary>One group of three digits (1–999); <paramref name="full"/>: hundreds always read.</summary>
    private static void AppendGroup(List<string> words, int value, bool full)
    {
        int hundreds = value / 100, tens = value / 10 % 10, units = value % 10;
        bool saidHundreds = full || hundreds > 0;
        if (saidHundreds)
        {
            words.Add(Digits[hundreds]);
            words.Add("trăm");
        }
        switch (tens)
        {
            case 0:
                if (units > 0)
                {
                    if (saidHundreds)
                    {
                        words.Add("linh");
                    }
                    words.Add(Digits[units]);
                }
                break;
            case 1:
                words.Add("mười");
                if (units > 0)
                {
                    words.Add(units == 5 ? "lăm" : Digits[units]);
                }
                break;
            default:
                words.Add(Digits[tens]);
                words.Add("mươi");
                if (units > 0)
                {
                    words.Add(units switch { 1 => "mốt", 4 => "tư", 5 => "lăm", _ => Digits[units] });
                }
                break;
        }
    }
}
