using System;

namespace ScopeClaims.Http;

/// <summary>
/// The client assertion of <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> (RFC 7523 §2.2 and §3): a JWT with
/// <c>iss</c> = <c>sub</c> = the client id, <c>aud</c>, <c>iat</c>, <c>exp</c> and a fresh 128-bit <c>jti</c>, signed
/// with the active key of a ScopeClaims profile, made anew for every token request (the retry after a 401 included).
/// </summary>
/// <remarks>
/// The profile's key must be asymmetric (RSA, RSA-PSS or ECDSA): a JWT signed with a shared secret is
/// <c>client_secret_jwt</c>, which this package does not send. Only the profile's key is used: its issuer, audiences,
/// lifetime and scope shape do not apply to the client assertion. The assertion is never logged and is redacted from
/// any text the token endpoint sends back.
/// </remarks>
public sealed class ClientAssertionOptions
{
    /// <summary>The longest <see cref="Lifetime"/> accepted: a client assertion is used at once.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the ScopeClaims profile whose active signing key signs the client assertion, as registered with
    /// <c>AddScopeTokens</c> or <c>AddArrayScopeTokens</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the grant's own profile (<see cref="JwtBearerGrantOptions.ProfileName"/>), or the default profile for grants without one.</value>
    public string? ProfileName { get; set; }

    /// <summary>Gets or sets the client assertion's <c>aud</c> claim, when the server wants something other than its token endpoint URL (some want their issuer identifier).</summary>
    /// <value>The default is <see langword="null"/>: the token endpoint URL.</value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the client assertion's lifetime (<c>exp</c> - <c>iat</c>): positive and at most <see cref="MaxLifetime"/>.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);
}
