using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>
/// A distributed cache two service providers can share in one process (HybridCache ignores MemoryDistributedCache as a
/// second level), which can be emptied, as a restarted Redis is, or made to throw on every operation, as an unreachable one does.
/// Expiry is not modelled: entries stay until removed.
/// </summary>
internal sealed class InMemorySharedCache : IDistributedCache
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private int _operations;

    /// <summary>When true, every operation throws <see cref="TimeoutException"/> (as StackExchange.Redis's RedisTimeoutException is one).</summary>
    public bool Unavailable { get; set; }

    public int Count => _entries.Count;

    /// <summary>Operations attempted, failed ones included.</summary>
    public int Operations => Volatile.Read(ref _operations);

    public void Clear() => _entries.Clear();

    /// <summary>A copy of every entry, to put back later with <see cref="Restore"/>.</summary>
    public KeyValuePair<string, byte[]>[] Snapshot() => _entries.ToArray();

    /// <summary>
    /// Writes the entries of an earlier <see cref="Snapshot"/> over the current ones, as a write a client sent to a
    /// Redis that was asleep lands after newer writes of another client once the server wakes.
    /// </summary>
    public void Restore(KeyValuePair<string, byte[]>[] snapshot)
    {
        foreach (var (key, value) in snapshot)
        {
            _entries[key] = value;
        }
    }

    public byte[]? Get(string key) => Check() && _entries.TryGetValue(key, out var value) ? value : null;

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Check();
        _entries[key] = value;
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }

    public void Refresh(string key) => Check();

    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        Check();
        return Task.CompletedTask;
    }

    public void Remove(string key)
    {
        Check();
        _entries.TryRemove(key, out _);
    }

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    private bool Check()
    {
        Interlocked.Increment(ref _operations);
        return Unavailable ? throw new TimeoutException("The distributed cache did not answer (test double).") : true;
    }
}
