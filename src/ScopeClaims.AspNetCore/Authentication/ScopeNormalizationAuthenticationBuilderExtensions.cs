using System;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Normalizes the scopes of JwtBearer tokens, whatever the issuer's shape.</summary>
public static class ScopeNormalizationAuthenticationBuilderExtensions
{
    /// <summary>
    /// After a JwtBearer scheme validates a token, rewrites its scopes as one claim of type <c>scope</c> per scope on
    /// the token's identity, whatever the token's shape, and refuses tokens whose scope claims are hostile.
    /// </summary>
    /// <param name="builder">The authentication builder returned by <c>AddAuthentication()</c>.</param>
    /// <param name="authenticationSchemes">The JwtBearer schemes to normalize; none means every JwtBearer scheme of the application.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// The scopes are read from the validated token's payload (<c>scope</c> or <c>scp</c>, a space-delimited string or
    /// an array, as Auth0, Duende, Okta and Entra ID write them) by the <see cref="ScopeNormalizer"/> in dependency
    /// injection, configured with <c>AddScopeNormalizer(o => ...)</c>. The claims of every type it reads (by default
    /// <c>scope</c>, <c>scp</c> and <c>http://schemas.microsoft.com/identity/claims/scope</c>) are removed from the
    /// identity and replaced by one <c>scope</c> claim per scope, so <c>MapInboundClaims</c> may be on or off. A token
    /// without scopes ends with no <c>scope</c> claim.
    /// </para>
    /// <para>
    /// A token whose scope claims are hostile (a number, an object, a nested array, an element holding a space, a
    /// character outside RFC 6749 §3.3, over the limits, or <c>scope</c> and <c>scp</c> disagreeing) fails
    /// authentication: the client gets 401 with <c>error="invalid_token"</c>, never a 500.
    /// </para>
    /// <para>
    /// Normalization runs first in <c>JwtBearerEvents.OnTokenValidated</c>; the application's own events, set through
    /// <c>Events</c> or <c>EventsType</c>, still run afterwards and see the normalized claims. Safe to call several times.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    ///     .AddJwtBearer(o => o.Authority = "https://tenant.auth0.com/")
    ///     .AddScopeNormalization();
    /// </code>
    /// </example>
    public static AuthenticationBuilder AddScopeNormalization(this AuthenticationBuilder builder, params string[] authenticationSchemes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(authenticationSchemes);
        foreach (var scheme in authenticationSchemes)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(scheme, nameof(authenticationSchemes));
        }

        var services = builder.Services;
        services.AddScopeNormalizer();
        services.Configure<ScopeNormalizationSchemes>(schemes =>
        {
            schemes.All |= authenticationSchemes.Length == 0;
            schemes.Names.UnionWith(authenticationSchemes);
        });
        services.TryAddSingleton<JwtBearerScopeNormalizer>();
        services.TryAddSingleton(static sp => new ScopeClaimsAspNetCoreMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtBearerOptions>, ScopeNormalizationPostConfigureOptions>());
        return builder;
    }
}
