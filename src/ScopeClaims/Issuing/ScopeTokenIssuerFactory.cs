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

    /// <summary>The serializer a profile uses: one keyed by the profile name, then one registered for every profile, else <see langword="null"/> (the format's).</summary>
    internal static IScopeSerializer? ResolveSerializer(IServiceProvider services, string name) =>
        (services as IKeyedServiceProvider)?.GetKeyedService<IScopeSerializer>(name) ?? services.GetService<IScopeSerializer>();

    private ScopeTokenIssuer Create(string name)
    {
        // Note: the options first, so a profile that fails validation (its serializer included) reports every problem.
        var options = _options.Get(name);
        return new ScopeTokenIssuer(name, options, ResolveSerializer(_services, name), _time);
    }
}
