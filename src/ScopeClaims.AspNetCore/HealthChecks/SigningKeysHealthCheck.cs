using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Every registered profile has a usable signing key: its issuer can be made (options valid, key loaded) and no key it
/// signs or publishes with has an expired certificate (<c>Unhealthy</c>) or one that expires within
/// <see cref="ScopeClaimsHealthCheckOptions.CertificateExpiryWarning"/> (<c>Degraded</c>).
/// </summary>
/// <remarks>The data names profiles, key ids, algorithms and dates: never key material.</remarks>
internal sealed class SigningKeysHealthCheck : IHealthCheck
{
    private readonly ScopeClaimsStatus? _status;
    private readonly IScopeTokenIssuerFactory? _issuers;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ScopeClaimsHealthCheckOptions> _options;

    // Note: a host with no token profile (an API that only reads tokens) has neither service; the check then says so.
    public SigningKeysHealthCheck(IServiceProvider services, TimeProvider time, IOptionsMonitor<ScopeClaimsHealthCheckOptions> options)
    {
        _status = services.GetService<ScopeClaimsStatus>();
        _issuers = services.GetService<IScopeTokenIssuerFactory>();
        _time = time;
        _options = options;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_status is null || _issuers is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No token profile is registered."));
        }

        var warning = _options.CurrentValue.CertificateExpiryWarning;
        var now = _time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        var status = HealthStatus.Healthy;
        foreach (var name in _status.ProfileNames)
        {
            var profile = name.Length == 0 ? "the default profile" : $"profile '{name}'";
            IScopeTokenIssuer issuer;
            try
            {
                issuer = _issuers.GetIssuer(name);
            }
            catch (Exception ex) when (ex is OptionsValidationException or SigningKeyException)
            {
                // Note: these messages name options and rules, never key material (the packages' own rule).
                problems.Add($"{profile} has no usable signing key ({ex.GetType().Name})");
                data[$"{name}:error"] = ex.GetType().Name;
                status = HealthStatus.Unhealthy;
                continue;
            }

            var active = issuer.Keys.Active;
            data[$"{name}:active_key_id"] = active.KeyId;
            data[$"{name}:algorithm"] = active.Algorithm;
            foreach (var key in issuer.Keys.Keys)
            {
                if (key.CertificateNotAfter is not { } notAfter)
                {
                    continue;
                }

                data[$"{name}:{key.KeyId}:certificate_not_after"] = notAfter.ToString("O");
                var left = notAfter - now;
                if (left <= TimeSpan.Zero)
                {
                    problems.Add($"{profile}: the certificate of key '{key.KeyId}' expired at {notAfter:O}; replace it");
                    status = HealthStatus.Unhealthy;
                }
                else if (left <= warning)
                {
                    problems.Add($"{profile}: the certificate of key '{key.KeyId}' expires at {notAfter:O}, in {left.TotalDays:0.#} days; rotate it");
                    status = status == HealthStatus.Unhealthy ? status : HealthStatus.Degraded;
                }
            }
        }

        var description = problems.Count == 0 ? $"{_status.ProfileNames.Count} profile(s) have a usable signing key." : string.Join("; ", problems) + ".";
        return Task.FromResult(new HealthCheckResult(status, description, data: data));
    }
}
