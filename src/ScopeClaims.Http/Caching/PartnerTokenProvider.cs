using System;
using System.Collections.Concurrent;
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

    public PartnerTokenProvider(IOptionsMonitor<JwtBearerGrantOptions> options, IServiceProvider services, HybridCache cache, IHttpClientFactory clients, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _services = services;
        _cache = cache;
        _time = time;
        _logger = loggers.CreateLogger(Log.Category);
        _endpoint = new TokenEndpointClient(clients, time, _logger);
    }

    public ILogger Logger => _logger;

    /// <summary>Gets the source of a named client; its options are read and validated once, on first use.</summary>
    /// <exception cref="OptionsValidationException">The client's options, or the profile they name, are invalid.</exception>
    public PartnerTokenSource GetSource(string name) =>
        _sources.GetOrAdd(name, static (n, self) => new Lazy<PartnerTokenSource>(() => self.Create(n)), this).Value;

    private PartnerTokenSource Create(string name)
    {
        var options = _options.Get(name);

        // Note: the validator has checked that a profile and its factory exist whenever the grant signs something
        // (an assertion, a client assertion), so these cannot fail here; a grant that signs nothing requires ClientId.
        var issuers = _services.GetService<IScopeTokenIssuerFactory>()!;
        var clientId = options.ClientId ?? issuers.GetIssuer(options.ProfileName).Issuer;
        return new PartnerTokenSource(name, options, clientId, _cache, issuers, _endpoint, _time, _logger);
    }
}
