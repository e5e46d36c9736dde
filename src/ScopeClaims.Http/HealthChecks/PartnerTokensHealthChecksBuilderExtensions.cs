using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScopeClaims.Http.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health check of the JWT-bearer grant clients.</summary>
public static class PartnerTokensHealthChecksBuilderExtensions
{
    private const string Name = "scopeclaims_partner_tokens";
    private static readonly string[] s_tags = { "scopeclaims" };

    /// <summary>
    /// Adds the <c>scopeclaims_partner_tokens</c> check, tagged <c>scopeclaims</c>: for each client added with
    /// <c>AddJwtBearerGrant</c>, the latest token request on this host succeeded (<c>Healthy</c>), failed while the
    /// current token is still valid (<c>Degraded</c>), or failed with no valid token left (<c>Unhealthy</c>).
    /// </summary>
    /// <param name="builder">The health checks builder, from <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// A probe never makes a token request: it reads what the client's own requests recorded. A client that has not
    /// requested a token yet is not reported; with no such client the check is <c>Healthy</c> and says so. Safe to call several times.
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddHealthChecks().AddScopeClaims().AddScopeClaimsPartnerTokens();
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddScopeClaimsPartnerTokens(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<PartnerTokensHealthCheck>();
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
        {
            foreach (var registration in o.Registrations)
            {
                if (registration.Name == Name)
                {
                    return;
                }
            }

            o.Registrations.Add(new HealthCheckRegistration(Name, sp => sp.GetRequiredService<PartnerTokensHealthCheck>(), null, s_tags));
        });
        return builder;
    }
}
