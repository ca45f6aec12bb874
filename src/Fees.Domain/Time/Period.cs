using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Fees.Domain.Time;

/// <summary>
/// A dues period: one calendar month in Vietnam time, written <c>yyyy-MM</c> (<c>2026-08</c>).
/// </summary>
/// <remarks>Ordered chronologically. The default value is 0001-01 and is never a real period.</remarks>
public readonly record struct Period : IComparable<Period>
{
    private Period(int year, int month)
    {
        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    /// <summary>The first period collected on the system: August 2026 (no back-payments before it).</summary>
    public static Period FirstOnSystem { get; } = new(2026, 8);

    public static Period Of(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1900);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        return new Period(year, month);
    }

    public static Period Containing(DateOnly date) => new(date.Year, date.Month);

    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is null || text.Length != 7 || text[4] != '-')
        {
            return false;
        }
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int month)
            || year < 1900 || month is < 1 or > 12)
        {
            return false;
        }
        period = new Period(year, month);
        return true;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period (yyyy-MM).");

    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    public Period Previous => Month == 1 ? new Period(Year - 1, 12) : new Period(Year, Month - 1);
    public Period Next => Month == 12 ? new Period(Year + 1, 1) : new Period(Year, Month + 1);

    public Period AddMonths(int months)
    {
        int index = checked((Year * 12) + (Month - 1) + months);
        return Of(index / 12, (index % 12) + 1);
    }

    /// <summary>Whole months from <paramref name="other"/> to this period (positive when this is later).</summary>
    public int MonthsSince(Period other) => ((Year - other.Year) * 12) + (Month - other.Month);

    public int CompareTo(Period other) => (Year, Month).CompareTo((other.Year, other.Month));
    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;
    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;
    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>Vietnamese form used on pages and in explanations: <c>tháng 8/2026</c>.</summary>
    public string ToDisplayString() => string.Create(CultureInfo.InvariantCulture, $"tháng {Month}/{Year}");
}
