using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ScopeClaims.Http;
using ScopeClaims.Http.Internal;
using static ScopeClaims.Internal.ConfigurationValues;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OAuth 2.0 token exchange (RFC 8693), client side, to an <c>HttpClient</c> registered with <c>AddHttpClient</c>.</summary>
public static class TokenExchangeGrantHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes every request of this client carry <c>Authorization: Bearer &lt;exchanged token&gt;</c>: the subject token
    /// given by <see cref="TokenExchangeGrantOptions.SubjectTokenProvider"/> for the request is exchanged at the
    /// server's token endpoint, and the result cached per subject token.
    /// </summary>
    /// <param name="builder">The client, from <c>services.AddHttpClient("name")</c>.</param>
    /// <param name="configure">Configures the grant; the options are named after the client.</param>
    /// <returns>The client builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// The same machinery as <c>AddJwtBearerGrant</c>: HybridCache (shared by a fleet through a distributed cache), one
    /// token request per subject token however many callers wait, one retry after a 401, no redirects on token requests,
    /// typed failures that are never cached, and no token, subject token, secret or client assertion in any log. The
    /// cache key holds the subject token's SHA-256, never the token; an exchanged token is not used past a JWT subject
    /// token's own <c>exp</c>.
    /// </para>
    /// <para>
    /// The options are validated when the host starts, every problem listed in one <see cref="OptionsValidationException"/>.
    /// Safe to call several times on one client: later calls add configuration, not handlers. A client carries one
    /// grant: this throws on a client that has another.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The client already has another grant.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddHttpContextAccessor();
    /// builder.Services.AddHttpClient("orders", c => c.BaseAddress = new Uri("https://orders.internal/"))
    ///     .AddTokenExchangeGrant(o =>
    ///     {
    ///         o.TokenEndpoint = new Uri("https://sts.example/oauth2/token");
    ///         o.ClientId = "gateway";
    ///         o.ClientSecret = builder.Configuration["Sts:ClientSecret"];
    ///         o.Audience = "orders-api";
    ///         o.SubjectTokenProvider = async (services, request, cancellationToken) =>
    ///             services.GetRequiredService&lt;IHttpContextAccessor&gt;().HttpContext is { } context
    ///                 ? await context.GetTokenAsync("access_token")
    ///                 : null;
    ///     });
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddTokenExchangeGrant(this IHttpClientBuilder builder, Action<TokenExchangeGrantOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, configure);
    }

    /// <summary>
    /// As <see cref="AddTokenExchangeGrant(IHttpClientBuilder, Action{TokenExchangeGrantOptions})"/>, with the options
    /// bound from a configuration section, then <paramref name="configure"/> run (to set the subject token provider,
    /// which configuration cannot give).
    /// </summary>
    /// <param name="builder">The client, from <c>services.AddHttpClient("name")</c>.</param>
    /// <param name="configuration">
    /// The section: the keys of <c>AddClientCredentialsGrant</c>'s section (<c>ClientAuthentication</c> may also be
    /// <c>None</c>), plus <c>SubjectTokenType</c> and <c>RequestedTokenType</c>. Bound by hand, without reflection
    /// (trim- and AOT-safe).
    /// </param>
    /// <param name="configure">Sets what configuration cannot: <see cref="TokenExchangeGrantOptions.SubjectTokenProvider"/>.</param>
    /// <returns>The client builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The client already has another grant.</exception>
    public static IHttpClientBuilder AddTokenExchangeGrant(this IHttpClientBuilder builder, IConfiguration configuration, Action<TokenExchangeGrantOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, o =>
        {
            TokenGrantOptionsBinder.Bind(configuration, o);
            String(configuration, nameof(o.SubjectTokenType), v => o.SubjectTokenType = v);
            String(configuration, nameof(o.RequestedTokenType), v => o.RequestedTokenType = v);
            configure(o);
        });
    }

    private static IHttpClientBuilder AddCore(IHttpClientBuilder builder, Action<TokenExchangeGrantOptions> configure) =>
        TokenGrantRegistration<TokenExchangeGrantOptions>.Add<TokenExchangeGrantOptionsValidator>(builder, configure, static o => new TokenExchangeGrant(o));
}
