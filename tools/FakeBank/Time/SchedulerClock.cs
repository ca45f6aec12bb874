namespace FakeBank.Time;

/// <summary>
/// The clock the fake's schedule runs on: retry gaps, <c>delayMs</c>, attempt times (<c>startedAt</c>,
/// <c>durationMs</c>), and the base the bank clock runs from. The real clock by default; with <c>--manual-clock</c> a
/// <see cref="ManualClock"/> that moves only on <c>POST /control/clock/advance</c>.
/// </summary>
internal sealed class SchedulerClock
{
    private SchedulerClock(TimeProvider time, ManualClock? manual)
    {
        Time = time;
        Manual = manual;
    }

    public TimeProvider Time { get; }

    /// <summary>The manual clock, or null when the schedule runs in real time.</summary>
    public ManualClock? Manual { get; }

    public static SchedulerClock Real() => new(TimeProvider.System, null);

    public static SchedulerClock ManualFrom(DateTimeOffset start)
    {
        var manual = new ManualClock(start);
        return new SchedulerClock(manual, manual);
    }
}
