using System;
using System.Collections.Generic;
using System.Threading;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <summary>
/// A clock that moves only when a test says so: <see cref="Advance"/> and <see cref="SetUtcNow"/>. Pass it wherever
/// ScopeClaims takes a <see cref="TimeProvider"/> (the issuer, dependency injection, validation) to test lifetimes
/// without waiting.
/// </summary>
/// <remarks>
/// <para>
/// Time never goes backwards. <see cref="GetTimestamp"/> follows the clock, and timers from <see cref="CreateTimer"/>
/// fire on the thread that moves the clock, in due order, with the clock set to each due time; a timer due now fires at
/// the next <see cref="Advance"/> (<see cref="TimeSpan.Zero"/> will do). The local time zone is UTC. Thread-safe.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
/// var issuer = new ScopeTokenIssuer(options, timeProvider: time);
/// string token = issuer.Issue(ScopeSet.Parse("read:a"));
/// time.Advance(TimeSpan.FromMinutes(10));   // the token has now expired, by this clock
/// </code>
/// </example>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = new();
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>Initializes a new instance of the <see cref="ManualTimeProvider"/> class at the current system time, truncated to whole seconds as JWT times are.</summary>
    public ManualTimeProvider()
        : this(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ManualTimeProvider"/> class.</summary>
    /// <param name="utcNow">The starting instant.</param>
    public ManualTimeProvider(DateTimeOffset utcNow)
    {
        _now = utcNow.ToUniversalTime();
    }

    /// <summary>Gets the UTC time zone, so local and UTC times agree in tests.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Gets the frequency of <see cref="GetTimestamp"/>: ticks per second.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Gets a timestamp that follows this clock: its UTC ticks.</summary>
    /// <returns>The timestamp.</returns>
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    /// <param name="delta">How far; zero fires timers that are due now.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        MoveTo(target);
    }

    /// <summary>Sets the clock, firing every timer that falls due on the way.</summary>
    /// <param name="utcNow">The new time; not earlier than the current one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="utcNow"/> is earlier than the current time; create a new provider to start over.</exception>
    public void SetUtcNow(DateTimeOffset utcNow)
    {
        lock (_gate)
        {
            if (utcNow < _now)
            {
                throw new ArgumentOutOfRangeException(nameof(utcNow), utcNow, "The clock cannot go backwards; create a new ManualTimeProvider to start over.");
            }
        }

        MoveTo(utcNow);
    }

    /// <summary>Creates a timer driven by this clock: it fires only when <see cref="Advance"/> or <see cref="SetUtcNow"/> reach its due time.</summary>
    /// <param name="callback">The callback.</param>
    /// <param name="state">The callback's argument.</param>
    /// <param name="dueTime">The delay before the first call; <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    /// <param name="period">The interval between calls; <see cref="Timeout.InfiniteTimeSpan"/> or zero for one call.</param>
    /// <returns>The timer.</returns>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Schedules a timer, replacing its previous schedule; an infinite due time unschedules it.</summary>
    internal void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        ManualTimer.CheckPeriod(dueTime, nameof(dueTime));
        ManualTimer.CheckPeriod(period, nameof(period));
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
        }
    }

    internal void Unschedule(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private void MoveTo(DateTimeOffset target)
    {
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= target && (next is null || timer.DueAt < next.DueAt || (timer.DueAt == next.DueAt && timer.Sequence < next.Sequence)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    if (target > _now)
                    {
                        _now = target;
                    }

                    return;
                }

                if (next.DueAt > _now)
                {
                    _now = next.DueAt;
                }

                if (next.Period > TimeSpan.Zero)
                {
                    next.DueAt += next.Period;
                    next.Sequence = ++_sequence;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            // Note: callbacks run outside the lock, so they may read the clock or change timers.
            next.Fire();
        }
    }
}
