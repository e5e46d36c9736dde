using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// The default <see cref="ITokenExchangeReplayStore"/>: a dictionary in this process, atomic through
/// <see cref="ConcurrentDictionary{TKey, TValue}.TryAdd"/> and <see cref="ConcurrentDictionary{TKey, TValue}.TryUpdate"/>.
/// One host only: other hosts never see its records.
/// </summary>
internal sealed class InMemoryTokenExchangeReplayStore : ITokenExchangeReplayStore
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _additions;

    public InMemoryTokenExchangeReplayStore(TimeProvider time) => _time = time;

    public ValueTask<bool> TryUseAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        if (_used.TryAdd(key, expiresAt))
        {
            if (Interlocked.Increment(ref _additions) % SweepEvery == 0)
            {
                Sweep(now);
            }

            return ValueTask.FromResult(true);
        }

        // Note: an expired record may be taken over, by exactly one caller (TryUpdate compares the old value).
        return ValueTask.FromResult(_used.TryGetValue(key, out var until) && until <= now && _used.TryUpdate(key, expiresAt, until));
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var entry in _used)
        {
            if (entry.Value <= now)
            {
                // Note: removes the entry only while it still holds the expired value seen here.
                _used.TryRemove(entry);
            }
        }
    }
}
