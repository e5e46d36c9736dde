using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Hybrid;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Records the <c>jti</c> of each accepted client assertion (RFC 7523 §3, item 7) in <see cref="HybridCache"/> until
/// the assertion expires, so a second use is refused; with a distributed cache (Redis), across every host sharing it.
/// </summary>
/// <remarks>
/// Each use offers a fresh random marker through <c>GetOrCreateAsync</c>: the use whose marker comes back is the first,
/// any other use (this host's memory, HybridCache's one-factory-per-key within a host, or another host's entry in the
/// distributed cache) sees someone else's marker. HybridCache offers no atomic "set if absent" on the distributed tier:
/// two hosts that both miss the distributed entry within the same read-then-write window can both accept one assertion.
/// </remarks>
internal sealed class ClientAssertionReplayCache
{
    private readonly HybridCache _cache;
    private readonly string _prefix;

    public ClientAssertionReplayCache(HybridCache cache, string prefix)
    {
        _cache = cache;
        _prefix = prefix;
    }

    /// <summary>Records a use; <see langword="true"/> when it is the first.</summary>
    public async ValueTask<bool> TryUseAsync(string clientId, string jti, TimeSpan remember, CancellationToken cancellationToken)
    {
        // Note: the key is a hash of the client id and the jti, so it has one length whatever the client sent and two
        // clients' jti values never collide.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(clientId + "\n" + jti));
        var key = _prefix + Convert.ToHexString(digest);
        var marker = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var options = new HybridCacheEntryOptions { Expiration = remember, LocalCacheExpiration = remember };
        var stored = await _cache.GetOrCreateAsync(key, marker, static (m, _) => ValueTask.FromResult(m), options, cancellationToken: cancellationToken).ConfigureAwait(false);
        return string.Equals(stored, marker, StringComparison.Ordinal);
    }
}
