using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ScopeClaims.Http;
using ScopeClaims.Http.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) to an <c>HttpClient</c> registered with <c>AddHttpClient</c>.</summary>
public static class ClientCredentialsGrantHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes every request of this client carry <c>Authorization: Bearer &lt;access token&gt;</c>, the token coming from
    /// the server's token endpoint through the client-credentials grant.
    /// </summary>
    /// <param name="builder">The client, from <c>services.AddHttpClient("name")</c>.</param>
    /// <param name="configure">Configures the grant; the options are named after the client.</param>
    /// <returns>The client builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// The same machinery as <c>AddJwtBearerGrant</c>: the token is cached through HybridCache (shared by a fleet through a
    /// distributed cache) until it expires less <see cref="TokenGrantOptions.RefreshBeforeExpiry"/>, one token
    /// request serves every concurrent caller, a 401 from the API makes the handler fetch a fresh token and retry once,
    /// token requests never follow redirects, failures throw a <see cref="JwtBearerGrantException"/> subclass and are
    /// never cached, and tokens, secrets and client assertions are never logged.
    /// </para>
    /// <para>
    /// The options are validated when the host starts, every problem listed in one <see cref="OptionsValidationException"/>.
    /// <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> needs a ScopeClaims profile with an asymmetric key
    /// (<c>AddScopeTokens</c>); the secret methods need none. Safe to call several times on one client: later calls add
    /// configuration, not handlers. A client carries one grant: this throws on a client that has another.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The client already has another grant.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddHttpClient("billing", c => c.BaseAddress = new Uri("https://api.billing.example/"))
    ///     .AddClientCredentialsGrant(o =>
    ///     {
    ///         o.TokenEndpoint = new Uri("https://login.billing.example/oauth2/token");
    ///         o.ClientId = "my-client-id";
    ///         o.ClientSecret = builder.Configuration["Billing:ClientSecret"];
    ///         o.Scopes = ScopeSet.Parse("invoices:read");
    ///     });
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddClientCredentialsGrant(this IHttpClientBuilder builder, Action<ClientCredentialsGrantOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, configure);
    }

    /// <summary>
    /// As <see cref="AddClientCredentialsGrant(IHttpClientBuilder, Action{ClientCredentialsGrantOptions})"/>, with the
    /// options bound from a configuration section (for example <c>builder.Configuration.GetSection("Billing:Grant")</c>).
    /// </summary>
    /// <param name="builder">The client, from <c>services.AddHttpClient("name")</c>.</param>
    /// <param name="configuration">
    /// The section: <c>TokenEndpoint</c>, <c>ClientId</c>, <c>Scopes</c> (one space-delimited string or an array),
    /// <c>Resource</c>, <c>Audience</c>, <c>ClientAuthentication</c> (<c>ClientSecretBasic</c>, <c>ClientSecretPost</c>,
    /// <c>PrivateKeyJwt</c>; <c>None</c> is refused), <c>ClientSecret</c> (from a secret store, not appsettings.json), <c>ClientAssertion</c>
    /// (<c>ProfileName</c>, <c>Audience</c>, <c>Lifetime</c>), <c>Parameters</c> (name: value),
    /// <c>RefreshBeforeExpiry</c>, <c>DefaultTokenLifetime</c> (empty for none), <c>TokenRequestTimeout</c>,
    /// <c>RetryOnUnauthorized</c>, <c>TokenClientName</c>. Bound by hand, without reflection (trim- and AOT-safe).
    /// </param>
    /// <returns>The client builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The client already has another grant.</exception>
    public static IHttpClientBuilder AddClientCredentialsGrant(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, o => TokenGrantOptionsBinder.Bind(configuration, o));
    }

    private static IHttpClientBuilder AddCore(IHttpClientBuilder builder, Action<ClientCredentialsGrantOptions> configure) =>
        TokenGrantRegistration<ClientCredentialsGrantOptions>.Add<ClientCredentialsGrantOptionsValidator>(builder, configure, static o => new ClientCredentialsGrant(o));
}
