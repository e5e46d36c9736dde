using System;
using System.Collections.Generic;

namespace ScopeClaims.Http;

/// <summary>
/// What the client-credentials and token-exchange grants share: where the token endpoint is, how the client
/// authenticates, what it asks for, how the token is cached. Named options: the name is the <c>HttpClient</c>'s.
/// </summary>
/// <remarks>
/// These grants run on the same machinery as the JWT-bearer grant: the same cache (HybridCache, shared by a fleet
/// through a distributed cache), one token request however many callers wait, one retry after a 401, the same
/// <see cref="JwtBearerGrantException"/> subclasses, and the same logging and redaction rules.
/// </remarks>
public abstract class TokenGrantOptions
{
    /// <summary>Initializes a new instance of the <see cref="TokenGrantOptions"/> class.</summary>
    private protected TokenGrantOptions()
    {
    }

    /// <summary>Gets or sets the server's token endpoint. Required unless <see cref="Authority"/> is set; <c>https</c>, or <c>http</c> on a loopback address only.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>
    /// Gets or sets the authorization server's issuer identifier, instead of <see cref="TokenEndpoint"/>: the token
    /// endpoint is read from its RFC 8414 metadata before the first token request, and the server must advertise the
    /// configured <see cref="ClientAuthentication"/> method (and the grant type, when it lists them).
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Uri? Authority { get; set; }

    /// <summary>Gets or sets the client id the server gave you. Required: it is sent with client authentication and is part of the cache key.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the scopes asked for, sent as the space-delimited <c>scope</c> parameter when not empty (RFC 6749 §3.3).</summary>
    /// <value>The default is <see cref="ScopeSet.Empty"/>.</value>
    public ScopeSet Scopes { get; set; } = ScopeSet.Empty;

    /// <summary>Gets or sets the <c>resource</c> parameter (RFC 8707 §2): the absolute URI, without a fragment, of the API the token is for.</summary>
    /// <value>The default is <see langword="null"/>: not sent.</value>
    public Uri? Resource { get; set; }

    /// <summary>Gets or sets the <c>audience</c> parameter some servers take to name the API the token is for.</summary>
    /// <value>The default is <see langword="null"/>: not sent.</value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets how the client authenticates to the token endpoint.</summary>
    /// <value>The default is <see cref="ClientAuthenticationMethod.ClientSecretBasic"/>, which every server supports (RFC 6749 §2.3.1).</value>
    public ClientAuthenticationMethod ClientAuthentication { get; set; } = ClientAuthenticationMethod.ClientSecretBasic;

    /// <summary>Gets or sets the client secret for <see cref="ClientAuthenticationMethod.ClientSecretBasic"/> and <see cref="ClientAuthenticationMethod.ClientSecretPost"/>. Never logged.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ClientSecret { get; set; }

    /// <summary>Gets the client assertion's settings, used when <see cref="ClientAuthentication"/> is <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
    /// <value>The default signs with the default ScopeClaims profile's key, for the token endpoint, for 60 seconds.</value>
    public ClientAssertionOptions ClientAssertion { get; } = new();

    /// <summary>Gets extra form parameters the server requires. They cannot replace <c>grant_type</c>, <c>scope</c>, <c>resource</c>, <c>audience</c> or the client authentication parameters.</summary>
    /// <value>The default is empty.</value>
    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long before its expiry a cached token is replaced. A token that lives no longer than this is used once and not cached.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the lifetime assumed when the token response has no <c>expires_in</c>, or <see langword="null"/> to use such a token once and not cache it.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan? DefaultTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long one token request may take before it fails with a <see cref="TokenEndpointUnavailableException"/>.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan TokenRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether a 401 from the API makes the handler drop the cached token, fetch a fresh one and send the request once more (never more than once).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RetryOnUnauthorized { get; set; } = true;

    /// <summary>Gets or sets the name of the <c>HttpClient</c> that posts to the token endpoint; it never follows redirects and its header values are redacted in logs.</summary>
    /// <value>The default is <see cref="JwtBearerGrantOptions.DefaultTokenClientName"/>.</value>
    public string TokenClientName { get; set; } = JwtBearerGrantOptions.DefaultTokenClientName;

    /// <summary>Values from configuration that did not parse; reported by validation with every other problem.</summary>
    internal List<string> BindingErrors { get; } = new();
}
