using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// The latest partner token request of each client on this host: <c>Healthy</c> when it succeeded (or none was made
/// yet); <c>Degraded</c> when it failed while the client still holds a token that has not expired (the refresh window,
/// in which each request tries again); <c>Unhealthy</c> when it failed and no valid token remains.
/// </summary>
/// <remarks>Reads what the requests recorded; a probe never makes a token request. Data: client names, dates and exception type names.</remarks>
internal sealed class PartnerTokensHealthCheck : IHealthCheck
{
    private readonly PartnerTokenProvider? _provider;
    private readonly TimeProvider _time;

    // Note: a host without any AddJwtBearerGrant client has no provider; the check then says so and is Healthy.
    public PartnerTokensHealthCheck(IServiceProvider services, TimeProvider time)
    {
        _provider = services.GetService<PartnerTokenProvider>();
        _time = time;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_provider is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No HttpClient uses the JWT-bearer grant."));
        }

        var now = _time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        var status = HealthStatus.Healthy;
        foreach (var source in _provider.Sources)
        {
            if (source.LastRequest is not { } last)
            {
                continue;
            }

            data[$"{source.Name}:last_request"] = last.At.ToString("O");
            if (last.ErrorType is null)
            {
                continue;
            }

            data[$"{source.Name}:last_error"] = last.ErrorType;
            if (source.CurrentTokenExpiresAt is { } expires && expires > now)
            {
                data[$"{source.Name}:token_expires"] = expires.ToString("O");
                problems.Add($"HttpClient '{source.Name}': the latest token request failed ({last.ErrorType}) at {last.At:O}; the current token is used until {expires:O}");
                status = status == HealthStatus.Unhealthy ? status : HealthStatus.Degraded;
            }
            else
            {
                problems.Add($"HttpClient '{source.Name}': the latest token request failed ({last.ErrorType}) at {last.At:O} and no valid token remains; requests to the partner fail");
                status = HealthStatus.Unhealthy;
            }
        }

        var description = problems.Count == 0 ? "Every partner token request succeeded." : string.Join("; ", problems) + ".";
        return Task.FromResult(new HealthCheckResult(status, description, data: data));
    }
}
