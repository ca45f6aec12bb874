namespace Fees.Domain.Time;

/// <summary>
/// Everything period-related (dues periods, cut-offs, booking dates, reports) is in Vietnam time,
/// Asia/Ho_Chi_Minh, UTC+7 with no daylight saving.
/// </summary>
public static class VietnamTime
{
    public static TimeZoneInfo Zone { get; } = FindZone();

    public static DateTimeOffset ToVietnam(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToVietnam(clock.GetUtcNow()).DateTime);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToVietnam(instant).DateTime);

    public static Period CurrentPeriod(TimeProvider clock) => Period.Containing(Today(clock));

    /// <summary>Midnight at the start of <paramref name="date"/> in Vietnam, as an instant.</summary>
    public static DateTimeOffset StartOf(DateOnly date) =>
        new(date.ToDateTime(TimeOnly.MinValue), Zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            // Machines without tzdata: Vietnam has had a fixed +07:00 offset since 1975.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam", "ICT");
        }
    }
}
