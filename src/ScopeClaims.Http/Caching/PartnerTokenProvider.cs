using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Holds one <see cref="PartnerTokenSource"/> per named client. A singleton, because IHttpClientFactory rebuilds
/// handlers every few minutes and the cached token must outlive them.
/// </summary>
internal sealed class PartnerTokenProvider
{
    private readonly IOptionsMonitor<JwtBearerGrantOptions> _options;
    private readonly IServiceProvider _services;
    private readonly HybridCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenEndpointClient _endpoint;
    private readonly AuthorityDiscovery _discovery;
    private readonly ConcurrentDictionary<string, Lazy<PartnerTokenSource>> _sources = new(StringComparer.Ordinal);

    // Note: per token-exchange client, the source of the last subject token seen, so that a run of requests with one
    // subject token (a batch for one caller, a daemon's own token) costs a string comparison, not a hash and a lookup.
    private readonly ConcurrentDictionary<string, (string Subject, PartnerTokenSource Source)> _lastSubject = new(StringComparer.Ordinal);

    public PartnerTokenProvider(IOptionsMonitor<JwtBearerGrantOptions> options, IServiceProvider services, HybridCache cache, IHttpClientFactory clients, TimeProvider time, ILoggerFactory loggers, ScopeClaimsHttpMetrics metrics)
    {
        _options = options;
        _services = services;
        _cache = cache;
        _time = time;
        _logger = loggers.CreateLogger(Log.Category);
        _endpoint = new TokenEndpointClient(clients, time, _logger, metrics);
        _discovery = new AuthorityDiscovery(clients, _logger);
        Metrics = metrics;
    }

    public ILogger Logger => _logger;

    public ScopeClaimsHttpMetrics Metrics { get; }

    /// <summary>Gets the sources made so far (a client's source is made on its first request), for health checks.</summary>
    public IEnumerable<PartnerTokenSource> Sources
    {
        get
        {
            foreach (var source in _sources.Values)
            {
                if (source.IsValueCreated)
                {
                    yield return source.Value;
                }
            }
        }
    }

    /// <summary>Gets the source of a named client; its options are read and validated once, on first use.</summary>
    /// <exception cref="OptionsValidationException">The client's options, or the profile they name, are invalid.</exception>
    public PartnerTokenSource GetSource(string name) =>
        _sources.GetOrAdd(name, static (n, self) => new Lazy<PartnerTokenSource>(() => self.Create(n)), this).Value;

    /// <summary>
    /// Gets the source for <paramref name="request"/>: the client's own, or for a token exchange, one bound to the
    /// request's subject token (cached through HybridCache under the token's hash, as every source is).
    /// </summary>
    /// <exception cref="OptionsValidationException">The client's options, or the profile they name, are invalid.</exception>
    /// <exception cref="SubjectTokenUnavailableException">A token exchange has no subject token for the request.</exception>
    /// <exception cref="AuthorityMetadataException">The token endpoint is to be discovered and the authority's metadata cannot be used.</exception>
    public ValueTask<PartnerTokenSource> GetSourceAsync(string name, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Note: once a client's source exists its endpoint is known; only before that are the options read here.
        PartnerTokenSource source;
        if (_sources.TryGetValue(name, out var created) && created.IsValueCreated)
        {
            source = created.Value;
        }
        else if (_options.Get(name) is { TokenEndpoint: null, Authority: not null } discover)
        {
            return DiscoverAsync(name, discover, request, cancellationToken);
        }
        else
        {
            source = GetSource(name);
        }

        return source.Options.Grant is TokenExchangeGrant exchange ? ForSubjectAsync(source, exchange, request, cancellationToken) : new(source);
    }

    private async ValueTask<PartnerTokenSource> DiscoverAsync(string name, JwtBearerGrantOptions options, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await _discovery.ResolveAsync(name, options, cancellationToken).ConfigureAwait(false);
        return await GetSourceAsync(name, request, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<PartnerTokenSource> ForSubjectAsync(PartnerTokenSource source, TokenExchangeGrant exchange, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var subject = await exchange.SubjectTokenAsync(_services, request, source.Name, cancellationToken).ConfigureAwait(false);
        if (_lastSubject.TryGetValue(source.Name, out var last) && string.Equals(last.Subject, subject, StringComparison.Ordinal))
        {
            return last.Source;
        }

        var options = new JwtBearerGrantOptions();
        exchange.ForSubject(subject).ApplyTo(options);
        options.ClientAssertionAlgorithms = source.Options.ClientAssertionAlgorithms;   // discovered, when Authority is set
        options.TokenEndpoint = source.Options.TokenEndpoint;
        var bound = new PartnerTokenSource(source.Name, options, options.ClientId!, _cache, _services.GetService<IScopeTokenIssuerFactory>()!, _endpoint, _time, _logger, Metrics);
        _lastSubject[source.Name] = (subject, bound);
        return bound;
    }

    private PartnerTokenSource Create(string name)
    {
        var options = _options.Get(name);

        // Note: the validator has checked that a profile and its factory exist whenever the grant signs something
        // (an assertion, a client assertion), so these cannot fail here; a grant that signs nothing requires ClientId.
        var issuers = _services.GetService<IScopeTokenIssuerFactory>()!;
        var clientId = options.ClientId ?? issuers.GetIssuer(options.ProfileName).Issuer;
        return new PartnerTokenSource(name, options, clientId, _cache, issuers, _endpoint, _time, _logger, Metrics);
    }
}
