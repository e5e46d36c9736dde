using System;
using System.Collections.Generic;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// Options of the RFC 8693 token-exchange endpoint (<c>AddTokenExchange</c>, <c>MapTokenExchange</c>): which clients
/// may exchange, for which targets, and the endpoint's limits.
/// </summary>
/// <remarks>Validated when the host starts, every problem listed in one <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.</remarks>
public sealed class TokenExchangeOptions
{
    /// <summary>The default for <see cref="MaxRequestBodySize"/>: 16 KiB.</summary>
    public const int DefaultMaxRequestBodySize = 16 * 1024;

    /// <summary>Gets the clients allowed to exchange tokens, each with its credential, audiences and scopes.</summary>
    /// <value>The default is empty.</value>
    public IList<TokenExchangeClient> Clients { get; } = new List<TokenExchangeClient>();

    /// <summary>
    /// Gets the names of the converters (registered with <c>AddScopeTokenConverter</c>) the endpoint exchanges through.
    /// Each converter's target profile is one target: a request's <c>audience</c> or <c>resource</c> selects the target
    /// whose profile lists that audience. Empty means the default converter alone.
    /// </summary>
    /// <value>The default is empty: the default converter.</value>
    public IList<string> Converters { get; } = new List<string>();

    /// <summary>
    /// Gets or sets a value indicating whether a request without client authentication is accepted. Such a request is
    /// held to <see cref="AnonymousAllowedAudiences"/> and <see cref="AnonymousAllowedScopes"/>, both required when this
    /// is on, and carries no <c>client_id</c> (a <c>client_id</c> without a credential is <c>invalid_client</c>).
    /// </summary>
    /// <value>The default is <see langword="false"/>: every request authenticates a registered client.</value>
    public bool AllowAnonymousClients { get; set; }

    /// <summary>Gets the audiences an anonymous request may ask for (each one a target profile lists); required with <see cref="AllowAnonymousClients"/>.</summary>
    /// <value>The default is empty.</value>
    public IList<string> AnonymousAllowedAudiences { get; } = new List<string>();

    /// <summary>Gets the scopes an anonymous request may obtain at most; required with <see cref="AllowAnonymousClients"/>.</summary>
    /// <value>The default is empty.</value>
    public IList<string> AnonymousAllowedScopes { get; } = new List<string>();

    /// <summary>Gets or sets the largest request body read, in bytes, between 1 KiB and 1 MiB. A larger body is refused with 413, unread.</summary>
    /// <value>The default is 16384.</value>
    public int MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// Gets or sets the endpoint's public absolute URL (for example <c>https://api.example/oauth2/token</c>). A client
    /// assertion (<c>private_key_jwt</c>) is accepted when its <c>aud</c> is this URL or the issuer of a target profile;
    /// the discovery document advertises it as <c>token_endpoint</c>. The request's own host is never trusted for
    /// either.
    /// </summary>
    /// <value>The default is <see langword="null"/>: assertions must name a target profile's issuer, and discovery advertises no token endpoint.</value>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Gets or sets the longest a client assertion may still be valid when it arrives (its <c>exp</c> minus now), between 1 second and 1 hour.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxClientAssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the clock skew allowed for a client assertion's <c>exp</c>, <c>nbf</c> and <c>iat</c>; at most 5 minutes.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the prefix of the <see cref="ITokenExchangeReplayStore"/> keys that record used client-assertion
    /// <c>jti</c> values: 1 to 64 printable ASCII characters without spaces. Hosts that share a replay store and serve
    /// the same clients use the same prefix.
    /// </summary>
    /// <value>The default is <c>scopeclaims:token-exchange:jti:</c>.</value>
    public string ReplayKeyPrefix { get; set; } = "scopeclaims:token-exchange:jti:";

    /// <summary>
    /// Gets or sets the name of an ASP.NET Core rate-limiter policy (<c>AddRateLimiter</c>) applied to the endpoint;
    /// the application calls <c>app.UseRateLimiter()</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no rate limiting by the endpoint itself.</value>
    public string? RateLimiterPolicy { get; set; }
}
