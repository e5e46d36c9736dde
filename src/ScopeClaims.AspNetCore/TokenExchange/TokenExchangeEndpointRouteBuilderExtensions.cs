using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScopeClaims.AspNetCore;
using ScopeClaims.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the RFC 8693 token-exchange endpoint.</summary>
public static class TokenExchangeEndpointRouteBuilderExtensions
{
    /// <summary>The conventional token endpoint path, <c>/oauth2/token</c>.</summary>
    public const string DefaultPattern = "/oauth2/token";

    /// <summary>
    /// Maps the token-exchange endpoint (RFC 8693 §2) at <paramref name="pattern"/>: a client posts a token of a
    /// configured inbound issuer and receives it converted, signed by the target profile's key in its scope shape.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <returns>A builder for the endpoint, e.g. to add <c>RequireHost</c>.</returns>
    /// <exception cref="InvalidOperationException">
    /// <c>AddTokenExchange</c> or a converter is missing, two targets share an audience, or a client is allowed an
    /// audience no target has.
    /// </exception>
    /// <exception cref="OptionsValidationException">The endpoint's, a converter's or a profile's options are invalid.</exception>
    /// <remarks>
    /// The endpoint answers every method (a method other than POST gets 405), reads at most
    /// <see cref="TokenExchangeOptions.MaxRequestBodySize"/> bytes, and sets <c>Cache-Control: no-store</c> on every
    /// response. With <see cref="TokenExchangeOptions.RateLimiterPolicy"/> set, the endpoint requires that rate-limiter
    /// policy. <c>MapScopeTokenMetadata()</c> then advertises the endpoint in the discovery document.
    /// </remarks>
    /// <example>
    /// <code>
    /// app.MapTokenExchange("/oauth2/token");
    /// </code>
    /// </example>
    public static IEndpointConventionBuilder MapTokenExchange(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var endpoint = TokenExchangeEndpoint.Create(endpoints.ServiceProvider);
        var builder = endpoints.Map(pattern, endpoint.HandleAsync)
            .WithDisplayName("ScopeClaims token exchange")
            .WithMetadata(endpoint.Metadata);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<TokenExchangeOptions>>().Value.RateLimiterPolicy is { } policy)
        {
            builder.RequireRateLimiting(policy);
        }

        return builder;
    }
}
