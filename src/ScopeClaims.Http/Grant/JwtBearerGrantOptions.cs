using System;
using System.Collections.Generic;

namespace ScopeClaims.Http;

/// <summary>
/// One partner's RFC 7523 JWT-bearer grant: where its token endpoint is, what the assertion says, how the partner
/// token is cached. Named options: the name is the <c>HttpClient</c>'s.
/// </summary>
/// <remarks>
/// The assertion is issued by the ScopeClaims profile <see cref="ProfileName"/>: its <c>iss</c> is the profile's
/// <see cref="ScopeTokenOptions.Issuer"/>, its key and scope shape are the profile's (a JSON array with
/// <c>AddArrayScopeTokens</c>), and it carries a fresh <c>jti</c>. RFC 7523 §3 requires <c>iss</c>, <c>sub</c>,
/// <c>aud</c> and <c>exp</c>; this grant sets <c>sub</c> and <c>aud</c> and keeps <c>exp</c> short.
/// </remarks>
public sealed class JwtBearerGrantOptions
{
    /// <summary>The name of the <c>HttpClient</c> that calls token endpoints unless <see cref="TokenClientName"/> says otherwise.</summary>
    public const string DefaultTokenClientName = "ScopeClaims.Http.TokenEndpoint";

    /// <summary>Gets or sets the partner's token endpoint. Required unless <see cref="Authority"/> is set; <c>https</c>, or <c>http</c> on a loopback address only.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>
    /// Gets or sets the client id the partner gave you: the assertion's <c>sub</c> unless <see cref="Subject"/> is
    /// set, the id sent with client authentication, and part of the cache key. When <see langword="null"/>, the
    /// profile's <see cref="ScopeTokenOptions.Issuer"/> is used, since a client's own assertion has <c>iss</c> = <c>sub</c> = client id.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the assertion's <c>sub</c> claim, when it is not the client id (RFC 7523 §3, item 2).</summary>
    /// <value>The default is <see langword="null"/>: the client id.</value>
    public string? Subject { get; set; }

    /// <summary>Gets or sets the assertion's <c>aud</c> claim, when the partner wants something other than its token endpoint URL (RFC 7523 §3, item 3).</summary>
    /// <value>The default is <see langword="null"/>: <see cref="TokenEndpoint"/>.</value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the scopes asked for: written into the assertion in the profile's shape and, unless <see cref="SendScopeParameter"/> is off, sent as the <c>scope</c> form parameter.</summary>
    /// <value>The default is <see cref="ScopeSet.Empty"/>.</value>
    public ScopeSet Scopes { get; set; } = ScopeSet.Empty;

    /// <summary>Gets or sets a value indicating whether a non-empty <see cref="Scopes"/> is also sent as the space-delimited <c>scope</c> form parameter (RFC 7521 §4.1).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SendScopeParameter { get; set; } = true;

    /// <summary>Gets or sets the ScopeClaims profile that signs the assertion, as registered with <c>AddArrayScopeTokens</c> or <c>AddScopeTokens</c>.</summary>
    /// <value>The default is <see cref="Microsoft.Extensions.Options.Options.DefaultName"/>: the default profile.</value>
    public string ProfileName { get; set; } = Microsoft.Extensions.Options.Options.DefaultName;

    /// <summary>Gets or sets the assertion's lifetime (<c>exp</c> - <c>iat</c>). It is used at once, so it is short; some partners refuse more than 3 minutes.</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how the client authenticates to the token endpoint.</summary>
    /// <value>The default is <see cref="ClientAuthenticationMethod.None"/>.</value>
    public ClientAuthenticationMethod ClientAuthentication { get; set; } = ClientAuthenticationMethod.None;

    /// <summary>Gets or sets the client secret for <see cref="ClientAuthenticationMethod.ClientSecretBasic"/> and <see cref="ClientAuthenticationMethod.ClientSecretPost"/>. Never logged.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ClientSecret { get; set; }

    /// <summary>Gets extra form parameters the partner requires (e.g. <c>resource</c>). They cannot replace <c>grant_type</c>, <c>assertion</c>, <c>scope</c> or the client authentication parameters.</summary>
    /// <value>The default is empty.</value>
    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long before its expiry a cached partner token is replaced. A token that lives no longer than this is used once and not cached.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the lifetime assumed when the token response has no <c>expires_in</c>, or <see langword="null"/>
    /// to use such a token once and not cache it.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    /// <remarks>
    /// RFC 6749 §5.1 makes <c>expires_in</c> recommended, not required, and says the server should document its
    /// default instead: set that value here. The default is short on purpose: should the partner's tokens live less,
    /// the API's 401 makes the handler fetch a fresh token and retry once.
    /// </remarks>
    public TimeSpan? DefaultTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long one token request may take before it fails with a <see cref="TokenEndpointUnavailableException"/>.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan TokenRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether a 401 from the partner's API makes the handler drop the cached token, fetch a fresh one and send the request once more (never more than once).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    /// <remarks>Request content is buffered before the first send so that it can be sent again.</remarks>
    public bool RetryOnUnauthorized { get; set; } = true;

    /// <summary>Gets or sets the name of the <c>HttpClient</c> (from <c>IHttpClientFactory</c>) that posts to the token endpoint; configure it with <c>AddHttpClient(name)</c> for proxies or certificates.</summary>
    /// <value>The default is <see cref="DefaultTokenClientName"/>.</value>
    /// <remarks>
    /// A token request never follows a redirect: automatic redirects are switched off on this client's primary handler
    /// after all of its configuration, and any 3xx answer is an <see cref="InvalidTokenResponseException"/>. Every header
    /// value is redacted in <c>IHttpClientFactory</c>'s logs of this client.
    /// </remarks>
    public string TokenClientName { get; set; } = DefaultTokenClientName;

    /// <summary>Gets the client assertion's settings, used when <see cref="ClientAuthentication"/> is <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
    /// <value>The default signs with <see cref="ProfileName"/>'s key, for the token endpoint, for 60 seconds.</value>
    public ClientAssertionOptions ClientAssertion { get; } = new();

    /// <summary>
    /// Gets or sets the authorization server's issuer identifier, instead of <see cref="TokenEndpoint"/>: the token
    /// endpoint is read from its RFC 8414 metadata before the first token request, and the server must advertise the
    /// configured <see cref="ClientAuthentication"/> method. <c>https</c>, or <c>http</c> on a loopback address only.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? Authority { get; set; }

    /// <summary>
    /// The <c>token_endpoint_auth_signing_alg_values_supported</c> of the <see cref="Authority"/>'s metadata, set with
    /// the discovered <see cref="TokenEndpoint"/> when the client authenticates with <c>private_key_jwt</c> and the
    /// metadata lists them; a client assertion is signed only with one of them.
    /// </summary>
    internal IReadOnlySet<string>? ClientAssertionAlgorithms { get; set; }

    /// <summary>The grant when these options were made from another grant's options (client credentials...); <see langword="null"/> for the JWT-bearer grant.</summary>
    internal Internal.TokenGrant? Grant { get; set; }

    /// <summary>Values from configuration that did not parse; reported by validation with every other problem.</summary>
    internal List<string> BindingErrors { get; } = new();
}
