using System.Globalization;

namespace FakeBank.Time;

/// <summary>
/// Vietnam time (Asia/Ho_Chi_Minh) as the banks and aggregators print it. Vietnam has kept UTC+7 without daylight
/// saving since 1975, so a fixed offset is exact and needs no time-zone database on the machine.
/// </summary>
internal static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateTimeOffset ToVietnam(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> in Vietnam time (SePay <c>transactionDate</c>, Casso <c>transactionDateTime</c>).</summary>
    public static string Wall(DateTimeOffset instant) =>
        ToVietnam(instant).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM-dd</c> in Vietnam time.</summary>
    public static string Date(DateTimeOffset instant) =>
        ToVietnam(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with the +07:00 offset, e.g. <c>2026-12-01T15:04:05+07:00</c> (generic <c>bookedAt</c>).</summary>
    public static string Iso(DateTimeOffset instant) =>
        ToVietnam(instant).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>Start of the Vietnam calendar day <paramref name="date"/> (<c>yyyy-MM-dd</c>) as an instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date) =>
        new(date.ToDateTime(TimeOnly.MinValue), Offset);
}
