using System;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.Testing.Internal;

/// <summary>A timer of <see cref="ManualTimeProvider"/>: it fires when the provider's clock reaches <see cref="DueAt"/>.</summary>
internal sealed class ManualTimer : ITimer
{
    // The largest period System.Threading.Timer accepts, so both behave alike.
    private static readonly TimeSpan s_maxPeriod = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly ManualTimeProvider _provider;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private volatile bool _disposed;

    public ManualTimer(ManualTimeProvider provider, TimerCallback callback, object? state)
    {
        _provider = provider;
        _callback = callback;
        _state = state;
    }

    /// <summary>Gets or sets when the timer fires next; guarded by the provider's lock.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Gets or sets the interval after a call, zero for one call; guarded by the provider's lock.</summary>
    public TimeSpan Period { get; set; }

    /// <summary>Gets or sets the order of scheduling, so timers due at the same instant fire in that order.</summary>
    public long Sequence { get; set; }

    public static void CheckPeriod(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value > s_maxPeriod))
        {
            throw new ArgumentOutOfRangeException(name, value, "A timer's due time and period must be Timeout.InfiniteTimeSpan, or between zero and about 49.7 days.");
        }
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        _provider.Schedule(this, dueTime, period);
        return true;
    }

    public void Fire()
    {
        if (!_disposed)
        {
            _callback(_state);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _provider.Unschedule(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
