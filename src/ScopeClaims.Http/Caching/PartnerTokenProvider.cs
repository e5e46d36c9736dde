using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
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
    private readonly ConcurrentDictionary<string, Lazy<PartnerTokenSource>> _sources = new(StringComparer.Ordinal);

    public PartnerTokenProvider(IOptionsMonitor<JwtBearerGrantOptions> options, IServiceProvider services, HybridCache cache, IHttpClientFactory clients, TimeProvider time, ILoggerFactory loggers, ScopeClaimsHttpMetrics metrics)
    {
        _options = options;
        _services = services;
        _cache = cache;
        _time = time;
        _logger = loggers.CreateLogger(Log.Category);
        _endpoint = new TokenEndpointClient(clients, time, _logger, metrics);
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

    private PartnerTokenSource Create(string name)
    {
        var options = _options.Get(name);

        // Note: the validator has checked that a profile and its factory exist, so these cannot fail here.
        var issuers = _services.GetRequiredService<IScopeTokenIssuerFactory>();
        var clientId = options.ClientId ?? issuers.GetIssuer(options.ProfileName).Issuer;
        return new PartnerTokenSource(name, options, clientId, _cache, issuers, _endpoint, _time, _logger, Metrics);
    }
}
