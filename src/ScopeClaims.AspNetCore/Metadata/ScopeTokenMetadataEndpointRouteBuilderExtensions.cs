using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Routing;
using ScopeClaims;
using ScopeClaims.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Publishes the public keys of a ScopeClaims token profile, so partners can validate the tokens it issues.</summary>
public static class ScopeTokenMetadataEndpointRouteBuilderExtensions
{
    /// <summary>The conventional JWKS path, <c>/.well-known/jwks.json</c>.</summary>
    public const string DefaultJwksPattern = "/.well-known/jwks.json";

    /// <summary>
    /// Serves the public JWK set (RFC 7517 §5) of a token profile at <paramref name="pattern"/>: the active key and the
    /// older keys kept for verification, public parameters only. A rotated key appears at once.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="profileName">The profile registered with <c>AddArrayScopeTokens</c> or <c>AddScopeTokens</c>, or <see langword="null"/> for the default profile.</param>
    /// <returns>A builder for the endpoint, e.g. to add <c>RequireHost</c> or rate limiting.</returns>
    /// <exception cref="InvalidOperationException">No token profile is registered, or the profile signs with an HMAC key, which is never published.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The profile's options are invalid.</exception>
    /// <remarks>
    /// Responses are <c>application/json</c> with <c>Cache-Control: public, max-age=300</c>: after a rotation, partners
    /// see the new key within five minutes, so rotate (publish) a new key at least that long before it signs.
    /// Private parameters and HMAC keys never appear (see <see cref="SigningKeySet.ExportPublicJwks"/>).
    /// </remarks>
    /// <example>
    /// <code>
    /// app.MapScopeTokenJwks("/.well-known/jwks.json");
    /// app.MapScopeTokenJwks("/partner-a/jwks.json", "partner-a");
    /// </code>
    /// </example>
    public static IEndpointConventionBuilder MapScopeTokenJwks(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = DefaultJwksPattern, string? profileName = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var metadata = ScopeTokenMetadataEndpoints.Create(endpoints.ServiceProvider, profileName);
        return endpoints.MapGet(pattern, metadata.WriteJwksAsync).WithDisplayName("ScopeClaims JWKS");
    }

    /// <summary>
    /// Serves a minimal discovery document at <c>/.well-known/openid-configuration</c>, holding the profile's
    /// <c>issuer</c> and the absolute <c>jwks_uri</c> of the JWK set, which is served at <c>/.well-known/jwks.json</c>,
    /// so a partner's standard validator (for example JwtBearer with <c>Authority</c> set to your issuer) finds your keys.
    /// </summary>
    /// <param name="endpoints">The application, or a route group whose prefix is the path of your issuer URL.</param>
    /// <param name="profileName">The profile, or <see langword="null"/> for the default profile.</param>
    /// <returns>A builder for both endpoints.</returns>
    /// <exception cref="InvalidOperationException">No token profile is registered, or the profile signs with an HMAC key.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The profile's options are invalid.</exception>
    /// <remarks>
    /// <para>
    /// Validators fetch <c>{issuer}/.well-known/openid-configuration</c>, so serve these endpoints at your issuer URL:
    /// for <c>Issuer = "https://api.example/partner-a"</c>, map them on <c>app.MapGroup("/partner-a")</c>.
    /// </para>
    /// <para>
    /// The document is not a full OpenID Provider configuration (ScopeClaims is not an authorization server); it holds
    /// what token validation needs. <c>jwks_uri</c> is built from the request's scheme, host and path base: behind a
    /// proxy, use the forwarded-headers middleware, and restrict hosts with <c>AllowedHosts</c>. Both responses carry
    /// <c>Cache-Control: public, max-age=300</c>.
    /// </para>
    /// </remarks>
    public static IEndpointConventionBuilder MapScopeTokenMetadata(this IEndpointRouteBuilder endpoints, string? profileName = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var metadata = ScopeTokenMetadataEndpoints.Create(endpoints.ServiceProvider, profileName);
        var group = endpoints.MapGroup(string.Empty);
        group.MapGet("/" + ScopeTokenMetadataEndpoints.DiscoveryRelativePath, metadata.WriteDiscoveryAsync).WithDisplayName("ScopeClaims discovery");
        group.MapGet("/" + ScopeTokenMetadataEndpoints.JwksRelativePath, metadata.WriteJwksAsync).WithDisplayName("ScopeClaims JWKS");
        return group;
    }
}
