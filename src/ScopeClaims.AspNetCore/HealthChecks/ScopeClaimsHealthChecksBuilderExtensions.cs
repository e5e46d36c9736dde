using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ScopeClaims.AspNetCore;
using ScopeClaims.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ScopeClaims health checks.</summary>
public static class ScopeClaimsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds two health checks, tagged <c>scopeclaims</c>: <c>scopeclaims_signing_keys</c> (every registered profile has a
    /// usable signing key; a certificate key expiring within <see cref="ScopeClaimsHealthCheckOptions.CertificateExpiryWarning"/>
    /// is <c>Degraded</c>, an expired one <c>Unhealthy</c>) and <c>scopeclaims_inbound_issuers</c> (the metadata and keys
    /// of every converter's inbound issuers could be fetched; the cached outcome, not a request per probe).
    /// </summary>
    /// <param name="builder">The health checks builder, from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="configure">Configures the checks, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Reports the profiles (<c>AddArrayScopeTokens</c>, <c>AddScopeTokens</c>) and converters (<c>AddScopeTokenConverter</c>)
    /// the host registered; with none, a check is <c>Healthy</c> and says so. The options are validated when the host starts. Results carry profile names, key ids, algorithms, dates, issuers and exception
    /// type names, never key material. Partner token clients have their own check in ScopeClaims.Http
    /// (<c>AddScopeClaimsPartnerTokens</c>).
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddHealthChecks().AddScopeClaims(o => o.CertificateExpiryWarning = TimeSpan.FromDays(30));
    /// app.MapHealthChecks("/healthz");
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddScopeClaims(this IHealthChecksBuilder builder, Action<ScopeClaimsHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ScopeClaimsHealthCheckOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScopeClaimsHealthCheckOptions>, ScopeClaimsHealthCheckOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SigningKeysHealthCheck>();
        builder.Services.TryAddSingleton<InboundIssuersHealthCheck>();
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
        {
            // Note: safe to call several times; a check is registered once.
            foreach (var registration in o.Registrations)
            {
                if (registration.Name == SigningKeys)
                {
                    return;
                }
            }

            o.Registrations.Add(new HealthCheckRegistration(SigningKeys, sp => sp.GetRequiredService<SigningKeysHealthCheck>(), null, s_tags));
            o.Registrations.Add(new HealthCheckRegistration(InboundIssuers, sp => sp.GetRequiredService<InboundIssuersHealthCheck>(), null, s_tags));
        });
        return builder;
    }

    private const string SigningKeys = "scopeclaims_signing_keys";
    private const string InboundIssuers = "scopeclaims_inbound_issuers";
    private static readonly string[] s_tags = { "scopeclaims" };
}
