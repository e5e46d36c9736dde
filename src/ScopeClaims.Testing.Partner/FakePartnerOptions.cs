using System;
using System.Collections.Generic;

namespace ScopeClaims.Testing.Partner;

/// <summary>What a <see cref="FakePartner"/> requires of the requests it receives, and what it answers.</summary>
/// <remarks>
/// Checked when the partner starts: a missing <see cref="ClientId"/>, a JWKS that cannot be read, a secret method without
/// <see cref="ClientSecret"/> or a lifetime out of range is an <see cref="ArgumentException"/> naming the option.
/// </remarks>
public sealed class FakePartnerOptions
{
    /// <summary>The JWT-bearer grant type (RFC 7523 §2.1).</summary>
    public const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>The client-credentials grant type (RFC 6749 §4.4).</summary>
    public const string ClientCredentialsGrantType = "client_credentials";

    /// <summary>The token-exchange grant type (RFC 8693 §2.1).</summary>
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>The RFC 8693 §3 token type of an access token, the only type this partner issues.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>
    /// Gets or sets the client's id: the <c>iss</c> (and, unless <see cref="Subject"/> says otherwise, the <c>sub</c>) a
    /// JWT-bearer assertion must carry, the id in client authentication, and the <c>iss</c> and <c>sub</c> of a client
    /// assertion. Required.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the <c>sub</c> a JWT-bearer assertion must carry; <see langword="null"/> means <see cref="ClientId"/>.</summary>
    public string? Subject { get; set; }

    /// <summary>
    /// Gets or sets the client's public JWKS (JSON, RFC 7517 §5), as the client would hand it to a real partner: it
    /// verifies JWT-bearer assertions and <c>private_key_jwt</c> client assertions. Read as strictly as
    /// <c>ScopeTokenAssertions.IsValidAgainstJwks</c> reads it (a private member refuses the set). Required when the
    /// JWT-bearer grant is accepted or <see cref="ClientAuthentication"/> is <see cref="FakePartnerClientAuthentication.PrivateKeyJwt"/>.
    /// </summary>
    public string? ClientJwks { get; set; }

    /// <summary>Gets or sets how the client must authenticate. Default: <see cref="FakePartnerClientAuthentication.None"/>.</summary>
    public FakePartnerClientAuthentication ClientAuthentication { get; set; }

    /// <summary>Gets or sets the client secret, for the two secret methods.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets the <c>aud</c> value assertions must name, compared exactly (a trailing slash differs);
    /// <see langword="null"/> means the token endpoint's URL, as RFC 7523 §3 suggests.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>Gets the grant types accepted. Default: the JWT-bearer grant only.</summary>
    public ISet<string> GrantTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { JwtBearerGrantType };

    /// <summary>Gets or sets the shape the assertion's <c>scope</c> claim must have. Default: <see cref="FakePartnerScopeRule.Array"/>.</summary>
    public FakePartnerScopeRule ScopeRule { get; set; }

    /// <summary>Gets or sets a value indicating whether a JWT-bearer assertion without a <c>scope</c> claim is refused. Default: <see langword="true"/>.</summary>
    public bool RequireScopeClaim { get; set; } = true;

    /// <summary>
    /// Gets or sets the scopes this partner grants; a request for another is <c>invalid_scope</c>.
    /// <see langword="null"/> (the default) grants any scope requested.
    /// </summary>
    public ScopeSet? AllowedScopes { get; set; }

    /// <summary>
    /// Gets or sets how far in the future an assertion's <c>exp</c> may be, and the longest <c>exp</c> - <c>iat</c>.
    /// Default: 5 minutes; from 1 second to 1 day.
    /// </summary>
    public TimeSpan MaxAssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the <c>expires_in</c> of the tokens issued, in seconds; <see langword="null"/> leaves it out of the
    /// response. Default: 3600.
    /// </summary>
    public int? TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>
    /// Gets the subject tokens a token exchange (RFC 8693) may present, as the tokens this partner, or an issuer it
    /// trusts, issued; any other <c>subject_token</c> is <c>invalid_grant</c>. Required (not empty) when
    /// <see cref="GrantTypes"/> names the token-exchange grant.
    /// </summary>
    public ISet<string> SubjectTokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the clock for the lifetime checks. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
