using System.Globalization;
using Fees.Domain.Time;

namespace Fees.Reports.ReportRanges;

/// <summary>
/// The months a report covers, written as the contract writes it: <c>2026-08</c> (a month), <c>2026-Q3</c> (a quarter),
/// <c>2026-H2</c> (a half year) or <c>2026</c> (a year). Its months are clipped to the system's first period (August 2026):
/// nothing before it is on the system.
/// </summary>
public sealed record ReportRange(string Text, Period From, Period To)
{
    /// <summary>The last month a report may ask for lies at most this many months after the current one (none ahead).</summary>
    public const int LatestYear = 2100;

    public IEnumerable<Period> Months()
    {
        for (var p = From; p <= To; p = p.Next)
        {
            yield return p;
        }
    }

    public int MonthCount => ((To.Year - From.Year) * 12) + To.Month - From.Month + 1;

    /// <summary>January of the range's last year, or the system's first period if later: the start of "year to date".</summary>
    public Period YearStart => Max(Period.Of(To.Year, 1), Period.FirstOnSystem);

    /// <summary>Vietnamese: <c>Tháng 8 năm 2026</c>, <c>Quý III năm 2026</c>, <c>6 tháng cuối năm 2026</c>, <c>Năm 2026</c>.</summary>
    public string ToVietnamese()
    {
        string[] roman = ["I", "II", "III", "IV"];
        return Text.Length switch
        {
            4 => "Năm " + Text,
            7 when Text[5] == 'Q' => $"Quý {roman[Text[6] - '1']} năm {Text[..4]}",
            7 when Text[5] == 'H' => (Text[6] == '1' ? "6 tháng đầu năm " : "6 tháng cuối năm ") + Text[..4],
            _ => string.Create(CultureInfo.InvariantCulture, $"Tháng {To.Month} năm {To.Year}"),
        };
    }

    /// <summary>Parses a range, or says why not (in Vietnamese). Ranges wholly before August 2026 or after 2100 are refused.</summary>
    public static bool TryParse(string? text, out ReportRange range, out string error)
    {
        range = null!;
        error = "Khoảng thời gian phải có dạng yyyy-MM, yyyy-Qn, yyyy-Hn hoặc yyyy (ví dụ 2026-08, 2026-Q3, 2026-H2, 2026).";
        if (text is null || text.Length is not (4 or 7) || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int year)
            || year is < 2026 or > LatestYear)
        {
            if (text is { Length: 4 or 7 } && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int y) && y is >= 1900 and < 2026)
            {
                error = "Hệ thống thu đảng phí từ kỳ tháng 8/2026: không có số liệu trước đó.";
            }
            return false;
        }
        Period from, to;
        if (text.Length == 4)
        {
            (from, to) = (Period.Of(year, 1), Period.Of(year, 12));
        }
        else if (text[4] != '-')
        {
            return false;
        }
        else if (text[5] == 'Q' && text[6] is >= '1' and <= '4')
        {
            int q = text[6] - '0';
            (from, to) = (Period.Of(year, (3 * q) - 2), Period.Of(year, 3 * q));
        }
        else if (text[5] == 'H' && text[6] is '1' or '2')
        {
            int h = text[6] - '0';
            (from, to) = (Period.Of(year, (6 * h) - 5), Period.Of(year, 6 * h));
        }
        else if (Period.TryParse(text, out var month))
        {
            (from, to) = (month, month);
        }
        else
        {
            return false;
        }
        if (to < Period.FirstOnSystem)
        {
            error = "Hệ thống thu đảng phí từ kỳ tháng 8/2026: không có số liệu trước đó.";
            return false;
        }
        range = new ReportRange(text, Max(from, Period.FirstOnSystem), to);
        error = "";
        return true;
    }

    private static Period Max(Period a, Period b) => a >= b ? a : b;
}
