using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

internal sealed class ScopeTokenConverterFactory : IScopeTokenConverterFactory
{
    private readonly IOptionsMonitor<ScopeTokenConverterOptions> _options;
    private readonly IScopeTokenIssuerFactory _issuers;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<IScopeTokenConverter>> _converters = new(StringComparer.Ordinal);

    private readonly ScopeClaimsMetrics _metrics;

    public ScopeTokenConverterFactory(IOptionsMonitor<ScopeTokenConverterOptions> options, IScopeTokenIssuerFactory issuers, TimeProvider time, ScopeClaimsMetrics metrics)
    {
        _metrics = metrics;
        _options = options;
        _issuers = issuers;
        _time = time;
    }

    public IScopeTokenConverter GetConverter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _converters.GetOrAdd(name, n => new Lazy<IScopeTokenConverter>(() => Create(n))).Value;
    }

    private ScopeTokenConverter Create(string name)
    {
        var options = _options.Get(name);
        var target = options.ProfileName ?? Options.DefaultName;
        return new ScopeTokenConverter(name, options, _issuers.GetIssuer(target), _time, _metrics);
    }
}
