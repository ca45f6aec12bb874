namespace FakeBank.Time;

/// <summary>
/// The time of the fake world: booking times, the dates inside references and the timestamps that sign webhooks.
/// By default it is the real UTC clock; it can be moved (it then keeps running from the new instant) or frozen.
/// </summary>
/// <remarks>
/// It runs from the <see cref="SchedulerClock"/>: the real clock by default, so retry gaps and timeouts are real durations
/// and do not follow a moved bank clock; with <c>--manual-clock</c> it moves only when the manual clock is advanced (unless
/// frozen), so signature timestamps are exactly the controlled time.
/// </remarks>
internal sealed class BankClock
{
    private readonly TimeProvider _real;
    private readonly Lock _gate = new();
    private TimeSpan _offset;
    private DateTimeOffset? _frozenAt;

    public BankClock(SchedulerClock scheduler) => _real = scheduler.Time;

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_gate)
            {
                return _frozenAt ?? _real.GetUtcNow() + _offset;
            }
        }
    }

    public bool IsFrozen
    {
        get
        {
            lock (_gate)
            {
                return _frozenAt.HasValue;
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="now"/> (when given) and freezes or releases it (when given).</summary>
    public void Set(DateTimeOffset? now, bool? frozen)
    {
        lock (_gate)
        {
            var current = now ?? (_frozenAt ?? _real.GetUtcNow() + _offset);
            bool freeze = frozen ?? _frozenAt.HasValue;
            _frozenAt = freeze ? current.ToUniversalTime() : null;
            _offset = current - _real.GetUtcNow();
        }
    }
}
