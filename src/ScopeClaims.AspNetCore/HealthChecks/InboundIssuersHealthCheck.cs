using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// The inbound issuers of every registered converter can be validated against: configured keys, or OpenID Connect
/// metadata and keys whose latest fetch succeeded. A failed latest fetch is <c>Degraded</c> while keys from an earlier
/// one are still in use, else <c>Unhealthy</c>. The outcome is the cached one (see <see cref="ScopeClaimsStatus.GetInboundIssuersAsync"/>).
/// </summary>
internal sealed class InboundIssuersHealthCheck : IHealthCheck
{
    private readonly ScopeClaimsStatus? _status;
    private readonly IOptionsMonitor<ScopeClaimsHealthCheckOptions> _options;

    public InboundIssuersHealthCheck(IServiceProvider services, IOptionsMonitor<ScopeClaimsHealthCheckOptions> options)
    {
        _status = services.GetService<ScopeClaimsStatus>();
        _options = options;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_status is null)
        {
            return HealthCheckResult.Healthy("No token converter is registered.");
        }

        var retry = _options.CurrentValue.MetadataRetryInterval;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        var status = HealthStatus.Healthy;
        var count = 0;
        foreach (var converter in _status.ConverterNames)
        {
            foreach (var inbound in await _status.GetInboundIssuersAsync(converter, retry, cancellationToken).ConfigureAwait(false))
            {
                count++;
                data[$"{inbound.Issuer}:keys"] = inbound.KeyCount;
                if (inbound.LastSucceededAt is { } succeeded)
                {
                    data[$"{inbound.Issuer}:last_success"] = succeeded.ToString("O");
                }

                if (inbound.LastError is not { } error)
                {
                    continue;
                }

                data[$"{inbound.Issuer}:last_error"] = error;
                if (inbound.LastSucceededAt is null)
                {
                    problems.Add($"the metadata of inbound issuer '{inbound.Issuer}' could not be fetched ({error}); its tokens are refused");
                    status = HealthStatus.Unhealthy;
                }
                else
                {
                    problems.Add($"the latest metadata refresh of inbound issuer '{inbound.Issuer}' failed ({error}); keys fetched at {inbound.LastSucceededAt:O} are still used");
                    status = status == HealthStatus.Unhealthy ? status : HealthStatus.Degraded;
                }
            }
        }

        var description = problems.Count == 0 ? $"{count} inbound issuer(s) have keys." : string.Join("; ", problems) + ".";
        return new HealthCheckResult(status, description, data: data);
    }
}
