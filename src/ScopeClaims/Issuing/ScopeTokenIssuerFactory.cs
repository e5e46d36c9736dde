using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>Makes each profile's issuer once, from its validated options and the keys their validation loaded.</summary>
internal sealed class ScopeTokenIssuerFactory : IScopeTokenIssuerFactory
{
    private readonly IOptionsMonitor<ScopeTokenOptions> _options;
    private readonly ProfileSigningKeys _keys;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<IScopeTokenIssuer>> _issuers = new(StringComparer.Ordinal);

    private readonly ScopeClaimsMetrics _metrics;

    public ScopeTokenIssuerFactory(IOptionsMonitor<ScopeTokenOptions> options, ProfileSigningKeys keys, IServiceProvider services, TimeProvider time, ScopeClaimsMetrics metrics)
    {
        _options = options;
        _keys = keys;
        _services = services;
        _time = time;
        _metrics = metrics;
        metrics.ObserveCertificateExpiry(ObserveCertificateExpiry);
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
        // Get runs every validator of the profile, ScopeTokenOptionsValidator among them, which loaded the key through
        // _keys: Resolve returns that key set, and the issuer does not validate again.
        var options = _options.Get(name);
        return new ScopeTokenIssuer(name, options, _keys.Resolve(name, options), ResolveSerializer(_services, name), _time, _metrics);
    }

    /// <summary>The days left on each certificate key of the profiles whose issuer has been made (an issuer is made on first use, or by a health check).</summary>
    private IEnumerable<Measurement<double>> ObserveCertificateExpiry()
    {
        var now = _time.GetUtcNow();
        foreach (var (name, issuer) in _issuers)
        {
            if (!issuer.IsValueCreated || issuer.Value is not { } made)
            {
                continue;
            }

            foreach (var key in made.Keys.Keys)
            {
                if (key.CertificateNotAfter is { } notAfter)
                {
                    yield return new Measurement<double>((notAfter - now).TotalDays, new(TelemetryNames.Profile, name), new(TelemetryNames.KeyId, key.KeyId));
                }
            }
        }
    }
}
