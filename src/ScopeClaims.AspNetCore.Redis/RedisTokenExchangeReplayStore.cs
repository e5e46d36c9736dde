using System;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace ScopeClaims.AspNetCore.Redis.Internal;

/// <summary>
/// An <see cref="ITokenExchangeReplayStore"/> in Redis: one <c>SET key 1 PX ttl NX</c> per use, the store's own atomic
/// check-and-set, so of every host sharing the server exactly one records a key first. Any Redis failure throws, and
/// the endpoint refuses the request.
/// </summary>
internal sealed class RedisTokenExchangeReplayStore : ITokenExchangeReplayStore, IAsyncDisposable
{
    // Note: a record lives at least this long, so an assertion that expires while in flight is still recorded.
    private static readonly TimeSpan s_minimumLifetime = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _owned;
    private readonly TimeProvider _time;

    public RedisTokenExchangeReplayStore(IConnectionMultiplexer connection, bool owned, TimeProvider time)
    {
        _connection = connection;
        _owned = owned;
        _time = time;
    }

    public async ValueTask<bool> TryUseAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var lifetime = expiresAt - _time.GetUtcNow();
        if (lifetime < s_minimumLifetime)
        {
            lifetime = s_minimumLifetime;
        }

        // Note: SET NX with expiry in one command; true only for the caller that created the key.
        return await _connection.GetDatabase().StringSetAsync(key, "1", lifetime, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
