using System;
using System.Diagnostics.Metrics;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using ScopeClaims.Http;
using ScopeClaims.Http.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the RFC 7523 JWT-bearer grant to an <c>HttpClient</c> registered with <c>AddHttpClient</c>.</summary>
public static class JwtBearerGrantHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes every request of this client carry <c>Authorization: Bearer &lt;partner token&gt;</c>, the token coming
    /// from the partner's token endpoint in exchange for an assertion signed by a ScopeClaims profile.
    /// </summary>
    /// <param name="builder">The client, from <c>services.AddHttpClient("name")</c>.</param>
    /// <param name="configure">Configures the grant; the options are named after the client.</param>
    /// <returns>The client builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The client already has another grant.</exception>
    /// <remarks>
    /// <para>
    /// The token is fetched on the first request, cached through <see cref="Caching.Hybrid.HybridCache"/> until it
    /// expires less <see cref="JwtBearerGrantOptions.RefreshBeforeExpiry"/>, and shared by concurrent callers (one
    /// token request however many wait). A distributed cache registered as <c>IDistributedCache</c> (Redis, say) makes
    /// a fleet of hosts share it. A 401 from the API makes the handler fetch a fresh token and retry once (not when the
    /// 401 came from a redirect target). Token requests never follow redirects. Failures throw a
    /// <see cref="JwtBearerGrantException"/> subclass and are never cached; tokens are never logged.
    /// </para>
    /// <para>
    /// Registers <c>HybridCache</c> (in memory unless the host configured it) and <see cref="TimeProvider.System"/>
    /// unless the host registered its own. Requires a ScopeClaims profile (<c>AddArrayScopeTokens</c>). The options are
    /// validated when the host starts, every problem listed in one <see cref="OptionsValidationException"/>. Safe to
    /// call several times on one client: later calls add configuration, not handlers.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddArrayScopeTokens(o => { o.Issuer = "my-client-id"; o.Audiences.Add("https://partner.example/oauth2/token"); o.SigningKey.Path = "keys/signing.pem"; });
    /// builder.Services.AddHttpClient("partner", c => c.BaseAddress = new Uri("https://api.partner.example/"))
    ///     .AddJwtBearerGrant(o =>
    ///     {
    ///         o.TokenEndpoint = new Uri("https://partner.example/oauth2/token");
    ///         o.Scopes = ScopeSet.Parse("read:appointments read:msg");
    ///     });
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddJwtBearerGrant(this IHttpClientBuilder builder, Action<JwtBearerGrantOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, configure);
    }

    /// <summary>
    /// As <see cref="AddJwtBearerGrant(IHttpClientBuilder, Action{JwtBearerGrantOptions})"/>, with the options bound
    /// from a configuration section (for example <c>builder.Configuration.GetSection("Partner:Grant")</c>).
    /// </summary>
    /// <param name="builder">The client, from <c>services.AddHttpClient("name")</c>.</param>
    /// <param name="configuration">
    /// The section: <c>TokenEndpoint</c>, <c>ClientId</c>, <c>Subject</c>, <c>Audience</c>, <c>Scopes</c> (one
    /// space-delimited string or an array), <c>SendScopeParameter</c>, <c>ProfileName</c>, <c>AssertionLifetime</c>,
    /// <c>ClientAuthentication</c> (<c>None</c>, <c>ClientSecretBasic</c>, <c>ClientSecretPost</c>), <c>ClientSecret</c>
    /// (from a secret store, not appsettings.json), <c>Parameters</c> (name: value), <c>RefreshBeforeExpiry</c>,
    /// <c>DefaultTokenLifetime</c> (empty for none), <c>TokenRequestTimeout</c>, <c>RetryOnUnauthorized</c>,
    /// <c>TokenClientName</c>. Bound by hand, without reflection (trim- and AOT-safe).
    /// </param>
    /// <returns>The client builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The client already has another grant.</exception>
    /// <remarks>
    /// A value that does not parse (a time span, a URL, scopes, a method name) is reported when the host starts, in the
    /// same <see cref="OptionsValidationException"/> as every other problem, naming its configuration path.
    /// </remarks>
    public static IHttpClientBuilder AddJwtBearerGrant(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(builder, o => JwtBearerGrantOptionsBinder.Bind(configuration, o));
    }

    internal static IHttpClientBuilder AddCore(IHttpClientBuilder builder, Action<JwtBearerGrantOptions> configure, bool validateOnStart = true)
    {
        var name = builder.Name;
        var services = builder.Services;
        if (validateOnStart)
        {
            // Note: the JWT-bearer grant itself; the other grants call this with validateOnStart off, checked already.
            OneGrantPerClient.Check(services, name, typeof(JwtBearerGrantRegistration));
        }

        var options = services.AddOptions<JwtBearerGrantOptions>(name).Configure(configure);
        if (validateOnStart)
        {
            options.ValidateOnStart();
        }

        if (services.Any(d => d.ServiceType == typeof(JwtBearerGrantRegistration) && d.IsKeyedService && Equals(d.ServiceKey, name)))
        {
            return builder;
        }

        services.AddKeyedSingleton<JwtBearerGrantRegistration>(name);
        services.AddHybridCache();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PartnerTokenProvider>();
        services.TryAddSingleton(static sp => new ScopeClaimsHttpMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtBearerGrantOptions>, JwtBearerGrantOptionsValidator>());
        builder.AddHttpMessageHandler(sp => new JwtBearerGrantHandler(sp.GetRequiredService<PartnerTokenProvider>(), name));

        // Note: a token request never follows a redirect; the filter runs after every configuration action, so a
        // ConfigurePrimaryHttpMessageHandler on the token client cannot turn redirects back on.
        services.AddSingleton<IHttpMessageHandlerBuilderFilter>(sp => new TokenClientRedirectFilter(name, sp.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>()));

        // Note: IHttpClientFactory logs request and response headers at Trace level. The partner token travels in
        // Authorization, so its value is redacted on the partner client, whatever else is; on the token client,
        // whatever its name, every header value is (Basic credentials, and whatever the endpoint echoes back).
        RedactAuthorization(services, name);
        services.AddSingleton<IPostConfigureOptions<HttpClientFactoryOptions>>(sp => new TokenClientLogRedaction(name, sp.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>()));
        return builder;
    }

    private static void RedactAuthorization(IServiceCollection services, string name) =>
        services.PostConfigure<HttpClientFactoryOptions>(name, o =>
        {
            var previous = o.ShouldRedactHeaderValue;
            o.ShouldRedactHeaderValue = header => string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase) || previous(header);
        });
}
