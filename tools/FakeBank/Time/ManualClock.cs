namespace FakeBank.Time;

/// <summary>
/// A clock that moves only when told (<c>--manual-clock</c>, <c>POST /control/clock/advance</c>): its timers fire inside
/// <see cref="Advance"/>, in due order, with the clock standing at each timer's due instant while it fires. With it, a
/// test sees a retry gap elapse exactly when it advances past it, and never reads the real clock.
/// </summary>
/// <remarks>
/// Only the fake's own schedule runs on it (retry gaps, <c>delayMs</c>, attempt times, and the bank clock, which then
/// follows it); attempt timeouts stay real, so a receiver that hangs still times out. A timer whose due time is zero
/// fires at once on the thread pool, as a real one does.
/// </remarks>
internal sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly Lock _advancing = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _order;

    public ManualClock(DateTimeOffset start) => _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How many timers wait, and when the first of them is due.</summary>
    public (int Count, DateTimeOffset? NextDueAt) Waiting
    {
        get
        {
            lock (_gate)
            {
                var due = _timers.Where(t => t.DueAt.HasValue).Select(t => t.DueAt!.Value).ToList();
                return (due.Count, due.Count == 0 ? null : due.Min());
            }
        }
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, firing every timer due on the way in due order (the clock
    /// stands at each one's due instant while it fires); then stands at the target.
    /// </summary>
    /// <returns>The new now.</returns>
    public DateTimeOffset Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_advancing)
        {
            DateTimeOffset target;
            lock (_gate)
            {
                target = _now + by;
            }
            while (true)
            {
                ManualTimer? due;
                lock (_gate)
                {
                    due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).ThenBy(t => t.Order).FirstOrDefault();
                    if (due is null)
                    {
                        _now = target;
                        return target;
                    }
                    if (due.DueAt > _now)
                    {
                        _now = due.DueAt.Value;
                    }
                    due.DueAt = due.Period is { } period && period > TimeSpan.Zero ? _now + period : null;
                    due.Order = ++_order;
                }
                due.Fire();
            }
        }
    }

    private bool Change(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        bool fireNow;
        lock (_gate)
        {
            if (!_timers.Contains(timer))
            {
                return false;
            }
            timer.Period = period == Timeout.InfiniteTimeSpan ? null : period;
            fireNow = dueTime == TimeSpan.Zero;
            timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null
                : fireNow ? (timer.Period is { } p && p > TimeSpan.Zero ? _now + p : null)
                : _now + dueTime;
            timer.Order = ++_order;
        }
        if (fireNow)
        {
            ThreadPool.UnsafeQueueUserWorkItem(t => t.Fire(), timer, preferLocal: false);
        }
        return true;
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public long Order { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Change(this, dueTime, period);

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
