using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

internal sealed class ScopeTokenIssuerFactory : IScopeTokenIssuerFactory
{
    private readonly IOptionsMonitor<ScopeTokenOptions> _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<IScopeTokenIssuer>> _issuers = new(StringComparer.Ordinal);

    public ScopeTokenIssuerFactory(IOptionsMonitor<ScopeTokenOptions> options, IServiceProvider services, TimeProvider time)
    {
        _options = options;
        _services = services;
        _time = time;
    }

    public IScopeTokenIssuer GetIssuer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _issuers.GetOrAdd(name, n => new Lazy<IScopeTokenIssuer>(() => Create(n))).Value;
    }

    private ScopeTokenIssuer Create(string name)
    {
        // Note: a serializer keyed by the profile name wins, then one registered for every profile, then the format's.
        var serializer = (_services as IKeyedServiceProvider)?.GetKeyedService<IScopeSerializer>(name) ?? _services.GetService<IScopeSerializer>();
        return new ScopeTokenIssuer(name, _options.Get(name), serializer, _time);
    }
}
