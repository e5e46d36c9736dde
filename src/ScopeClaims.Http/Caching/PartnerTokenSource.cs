using System;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// The partner token of one named client: issues the assertion, fetches the token, and caches it through
/// <see cref="HybridCache"/> until it expires less <see cref="JwtBearerGrantOptions.RefreshBeforeExpiry"/>.
/// </summary>
/// <remarks>
/// Three layers: a field holding the last good token (no lookup at all on the hot path), then HybridCache's memory and
/// distributed layers. HybridCache runs one fetch per key however many callers wait (stampede protection); since its
/// entry options are fixed before the fetch, the fetch writes the entry itself with the token's own expiry and the
/// read is told not to write. Failures throw and are never cached.
/// </remarks>
internal sealed class PartnerTokenSource
{
    private static readonly HybridCacheEntryOptions s_read = new() { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
    private static readonly HybridCacheEntryOptions s_peekAll = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
    private static readonly HybridCacheEntryOptions s_peekShared = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCacheWrite };
    private static readonly HybridCacheEntryOptions s_fetchOnly = new() { Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache };

    private readonly HybridCache _cache;
    private readonly IScopeTokenIssuerFactory _issuers;
    private readonly TokenEndpointClient _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _clientId;
    private readonly string[] _audience;
    private readonly ScopeClaimsHttpMetrics _metrics;
    private PartnerToken? _current;
    private Fetched? _own;
    private volatile Fetched? _lastFetched;
    private long _fetchesStarted;
    private volatile TokenRequestOutcome? _lastRequest;

    public PartnerTokenSource(string name, JwtBearerGrantOptions options, string clientId, HybridCache cache, IScopeTokenIssuerFactory issuers, TokenEndpointClient endpoint, TimeProvider time, ILogger logger, ScopeClaimsHttpMetrics metrics)
    {
        _metrics = metrics;
        Name = name;
        Options = options;
        _clientId = clientId;
        _cache = cache;
        _issuers = issuers;
        _endpoint = endpoint;
        _time = time;
        _logger = logger;
        _audience = new[] { options.Audience ?? options.TokenEndpoint!.AbsoluteUri };
        CacheKey = options.Grant?.CacheKey(options, clientId) ?? CreateCacheKey(options.TokenEndpoint!, clientId, options.Subject ?? clientId, options.Scopes);
    }

    public string Name { get; }

    public JwtBearerGrantOptions Options { get; }

    public string CacheKey { get; }

    /// <summary>Gets the outcome of this host's latest token request for the client, or <see langword="null"/> before the first.</summary>
    public TokenRequestOutcome? LastRequest => _lastRequest;

    /// <summary>Gets when the token this host holds expires, or <see langword="null"/> when it holds none.</summary>
    public DateTimeOffset? CurrentTokenExpiresAt => _current?.ExpiresAt;

    /// <summary>
    /// The cache key: a hash of the token endpoint, the client id, the subject and the scopes (sorted: order carries
    /// no meaning), so two clients share a token exactly when the partner would issue them the same one.
    /// </summary>
    public static string CreateCacheKey(Uri tokenEndpoint, string clientId, string subject, ScopeSet scopes)
    {
        var sorted = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        var material = string.Join('\n', "jwt-bearer/v1", tokenEndpoint.AbsoluteUri, clientId, subject, sorted);
        return "scopeclaims:jwt-bearer:" + Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    public ValueTask<PartnerToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && IsFresh(current))
        {
            CountLookup(hit: true);
            return new(current);
        }

        return GetSlowAsync(cancellationToken);
    }

    /// <summary>
    /// Gets a mark to take when the partner's API refuses a token: a token this host fetches with a request started
    /// after the mark was issued after the refusal (see <see cref="FetchedSince"/>).
    /// </summary>
    public long RefusalMark() => Interlocked.Read(ref _fetchesStarted);

    /// <summary>
    /// Gets the token to retry with after the partner's API refused <paramref name="rejected"/>: drops it (see
    /// <see cref="InvalidateAsync"/>) and returns the token now cached, which may be one another host fetched; never
    /// <paramref name="rejected"/> itself, even when a cache layer could not be cleared.
    /// </summary>
    public async ValueTask<PartnerToken> ReplaceAsync(PartnerToken rejected, long refusalMark, CancellationToken cancellationToken)
    {
        await InvalidateAsync(rejected, cancellationToken).ConfigureAwait(false);
        var next = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return next.AccessToken == rejected.AccessToken ? await GetOwnTokenAsync(rejected, refusalMark, cancellationToken).ConfigureAwait(false) : next;
    }

    /// <summary>
    /// Whether <paramref name="token"/> is the last token this host fetched itself, with a request started after
    /// <paramref name="refusalMark"/>: not one read from the shared cache, and not one this host fetched earlier that a
    /// late write (a command queued while Redis was unreachable) put back into the shared cache.
    /// </summary>
    public bool FetchedSince(PartnerToken token, long refusalMark) =>
        _lastFetched is { } last && last.Sequence > refusalMark && last.Token.AccessToken == token.AccessToken;

    /// <summary>
    /// Gets a token this host fetched itself after <paramref name="rejected"/> was refused: the one it fetched last if
    /// that request started after <paramref name="refusalMark"/> and its token was not refused since, else a fresh one
    /// (one fetch however many callers wait). For a retry after a token read from the shared cache was refused too:
    /// another host's entry, or one this host wrote before the refusal, may be older than the refusal (after a cache
    /// outage the hosts hold different tokens, and a write held up by the outage may land late).
    /// </summary>
    public async ValueTask<PartnerToken> GetOwnTokenAsync(PartnerToken rejected, long refusalMark, CancellationToken cancellationToken)
    {
        await InvalidateAsync(rejected, cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _own) is { } own && own.Sequence > refusalMark && own.Token.AccessToken != rejected.AccessToken && IsFresh(own.Token))
        {
            Volatile.Write(ref _current, own.Token);
            return own.Token;
        }

        var entry = await _cache.GetOrCreateAsync(CacheKey, new Lookup(this), static (state, ct) => state.FetchAsync(ct), s_fetchOnly, null, cancellationToken).ConfigureAwait(false);
        var token = PartnerToken.Decode(entry) ?? throw new InvalidOperationException($"The partner token of HttpClient '{Name}' could not be read back.");
        if (!token.IsSingleUse && IsFresh(token))
        {
            Volatile.Write(ref _current, token);
        }

        return token;
    }

    /// <summary>
    /// Drops <paramref name="rejected"/> after the partner's API refused it. An entry is removed only while it still
    /// holds that token: a fresh token another caller (or, through the distributed cache, another host) has already
    /// fetched is kept and used, so a burst of 401s across a fleet costs one token request, not one per host. A
    /// distributed cache that fails is logged and passed over: the partner call goes on without it.
    /// </summary>
    public async ValueTask InvalidateAsync(PartnerToken rejected, CancellationToken cancellationToken)
    {
        Forget(ref _current, rejected);
        if (Volatile.Read(ref _own) is { } own && own.Token.AccessToken == rejected.AccessToken)
        {
            Interlocked.CompareExchange(ref _own, null, own);
        }
        if (Replacement(await PeekAsync(s_peekAll, cancellationToken).ConfigureAwait(false), rejected) is not null)
        {
            return; // this host already holds a fresh token
        }

        var shared = Replacement(await PeekAsync(s_peekShared, cancellationToken).ConfigureAwait(false), rejected);
        if (shared is null)
        {
            await RemoveAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Another host replaced the token: copy it into this host's memory layer, leaving the shared entry alone.
        var cacheFor = shared.ExpiresAt - Options.RefreshBeforeExpiry - _time.GetUtcNow();
        var local = new HybridCacheEntryOptions { Expiration = cacheFor, LocalCacheExpiration = cacheFor, Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite };
        await _cache.SetAsync(CacheKey, shared.Encode(), local, null, cancellationToken).ConfigureAwait(false);
    }

    // Note: callers decode their own PartnerToken instances of one entry, so a refused token is recognised by its value.
    private static void Forget(ref PartnerToken? field, PartnerToken rejected)
    {
        var held = Volatile.Read(ref field);
        if (held is not null && held.AccessToken == rejected.AccessToken)
        {
            Interlocked.CompareExchange(ref field, null, held);
        }
    }

    // Note: HybridCache passes over a distributed cache that fails to read or write (and logs it), but not one that
    // fails to remove; the memory layer is cleared before the distributed cache is asked.
    private async ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _cache.RemoveAsync(CacheKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Log.CacheRemoveFailed(_logger, Name, ex.GetType().FullName);
        }
    }

    private ValueTask<string?> PeekAsync(HybridCacheEntryOptions options, CancellationToken cancellationToken) =>
        _cache.GetOrCreateAsync<object?, string?>(CacheKey, null, static (_, _) => default, options, null, cancellationToken);

    private PartnerToken? Replacement(string? entry, PartnerToken rejected) =>
        PartnerToken.Decode(entry) is { } token && token.AccessToken != rejected.AccessToken && IsFresh(token) ? token : null;

    private async ValueTask<PartnerToken> GetSlowAsync(CancellationToken cancellationToken)
    {
        // Note: a lookup is a miss when this call's own factory ran (a token request was made), else a hit, even when it
        // waited for another caller's request (HybridCache runs one per key).
        var lookup = new Lookup(this);
        for (var attempt = 1; ; attempt++)
        {
            var entry = await _cache.GetOrCreateAsync(CacheKey, lookup, static (state, ct) => state.FetchAsync(ct), s_read, null, cancellationToken).ConfigureAwait(false);
            if (attempt == 1)
            {
                CountLookup(hit: !lookup.Fetched);
            }

            var token = PartnerToken.Decode(entry);
            if (token is not null && IsFresh(token))
            {
                Volatile.Write(ref _current, token);
                return token;
            }

            if (token is not null && (token.IsSingleUse || attempt > 1))
            {
                return token;
            }

            // Note: an entry this code did not write (an older version's, another application's under the same key),
            // or one past its refresh time (a distributed entry written by a host whose clock runs behind) is dropped
            // and fetched once more.
            Log.UnusableCacheEntry(_logger, Name);
            await RemoveAsync(cancellationToken).ConfigureAwait(false);
            if (attempt > 1)
            {
                throw new InvalidOperationException($"The partner token cache entry '{CacheKey}' of HttpClient '{Name}' cannot be read; another writer is using this key.");
            }
        }
    }

    private async ValueTask<string> FetchAsync(ActivityContext caller, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _fetchesStarted);
        PartnerToken token;
        try
        {
            // Note: a grant other than the JWT-bearer grant carries no assertion; a client assertion is made for every request.
            var assertion = Options.Grant is not null ? string.Empty : (await _issuers.GetIssuer(Options.ProfileName).IssueAsync(
                new ScopeTokenRequest(Options.Scopes)
                {
                    Subject = Options.Subject ?? _clientId,
                    Audiences = _audience,
                    Lifetime = Options.AssertionLifetime,
                },
                cancellationToken).ConfigureAwait(false)).Token;

            var clientAssertion = await ClientAssertion.CreateIfUsedAsync(Options, _clientId, _issuers, _time, cancellationToken).ConfigureAwait(false);
            token = await _endpoint.RequestAsync(Name, Options, _clientId, assertion, clientAssertion, caller, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Note: the outcome a health check reads: the type of the failure, never its message.
            _lastRequest = new TokenRequestOutcome(_time.GetUtcNow(), ex.GetType().Name);
            throw;
        }

        _lastRequest = new TokenRequestOutcome(_time.GetUtcNow(), null);
        token = Options.Grant?.Limit(token) ?? token;
        var fetched = new Fetched(token, sequence);
        _lastFetched = fetched;
        var lifetime = token.ExpiresAt - _time.GetUtcNow();
        var cacheFor = lifetime - Options.RefreshBeforeExpiry;
        if (cacheFor <= TimeSpan.Zero)
        {
            Log.TokenNotCached(_logger, Name, lifetime, Options.RefreshBeforeExpiry);
            return token.AsSingleUse().Encode();
        }

        Log.TokenReceived(_logger, Name, lifetime, cacheFor);
        Volatile.Write(ref _own, fetched);
        var entry = token.Encode();
        var options = new HybridCacheEntryOptions { Expiration = cacheFor, LocalCacheExpiration = cacheFor };
        await _cache.SetAsync(CacheKey, entry, options, null, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    private void CountLookup(bool hit)
    {
        var lookups = _metrics.CacheLookups;
        if (lookups.Enabled)
        {
            lookups.Add(1, new(ScopeClaimsHttpMetrics.Client, Name), new(ScopeClaimsHttpMetrics.CacheResult, hit ? "hit" : "miss"));
        }
    }

    private bool IsFresh(PartnerToken token) => _time.GetUtcNow() < token.ExpiresAt - Options.RefreshBeforeExpiry;

    /// <summary>A token this host fetched itself, and the number of the request that fetched it (see <see cref="RefusalMark"/>).</summary>
    private sealed record Fetched(PartnerToken Token, long Sequence);

    /// <summary>One lookup's state: whether its factory ran.</summary>
    private sealed class Lookup
    {
        private readonly PartnerTokenSource _source;

        // Note: HybridCache may run the factory where the caller's execution context does not flow, so the caller's
        // span is captured here and made the parent of the token request's span.
        private readonly ActivityContext _caller = Activity.Current?.Context ?? default;

        public Lookup(PartnerTokenSource source) => _source = source;

        public bool Fetched { get; private set; }

        public ValueTask<string> FetchAsync(CancellationToken cancellationToken)
        {
            Fetched = true;
            return _source.FetchAsync(_caller, cancellationToken);
        }
    }
}
