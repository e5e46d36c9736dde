using System;
using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>
/// One token profile: who issues, for whom, with which key, and in which scope shape. Named options, so one host can
/// issue for several partners in several shapes.
/// </summary>
/// <remarks>
/// Validated when the host starts (and when a <see cref="ScopeTokenIssuer"/> is made), every problem listed in one
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>. An issuer copies the values it was made with,
/// so changing this object afterwards has no effect on it.
/// </remarks>
public sealed class ScopeTokenOptions
{
    /// <summary>Gets or sets the <c>iss</c> claim. Required.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets the <c>aud</c> values. At least one is required; one is written as a string, several as an array.</summary>
    /// <value>The default is empty.</value>
    public IList<string> Audiences { get; } = new List<string>();

    /// <summary>Gets or sets the scope shape.</summary>
    /// <value>The default is <see cref="ScopeFormat.Array"/>.</value>
    public ScopeFormat Format { get; set; } = ScopeFormat.Array;

    /// <summary>
    /// Gets or sets the scope claim name; with <see cref="ScopeFormat.Both"/>, the claim that carries the string. Never a
    /// registered or profile-owned claim (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>nbf</c>, <c>iat</c>,
    /// <c>jti</c>, <c>typ</c>, <c>cty</c>, in any letter case).
    /// </summary>
    /// <value>The default is <c>scope</c>.</value>
    public string ClaimName { get; set; } = ScopeClaimTypes.Scope;

    /// <summary>Gets or sets the claim that carries the array with <see cref="ScopeFormat.Both"/>; it must differ from <see cref="ClaimName"/> ignoring case.</summary>
    /// <value>The default is <c>scp</c>.</value>
    public string ArrayClaimName { get; set; } = ScopeClaimTypes.Scp;

    /// <summary>Gets or sets a value indicating whether an empty scope set writes <c>[]</c> in array shapes rather than omitting the claim.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool WriteEmptyArray { get; set; }

    /// <summary>Gets or sets the <c>typ</c> header: <c>JWT</c>, or <c>at+jwt</c> for RFC 9068 access tokens.</summary>
    /// <value>The default is <c>JWT</c>.</value>
    public string TokenType { get; set; } = "JWT";

    /// <summary>
    /// Gets or sets the lifetime of a token when the request does not say: at least 1 second (<c>exp</c> has whole
    /// seconds, so a shorter token could already be expired when issued), at most <see cref="MaxLifetime"/>.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the longest lifetime a request may ask for: at least 1 second, at most 366 days.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets a value indicating whether each token carries a fresh <c>jti</c> of 128 random bits.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeJwtId { get; set; } = true;

    /// <summary>Gets or sets the signing keys, set in code. When <see langword="null"/>, <see cref="SigningKey"/> is loaded instead.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public SigningKeySet? SigningKeys { get; set; }

    /// <summary>Gets or sets where the signing key is loaded from, for configuration.</summary>
    /// <value>The default is an empty <see cref="SigningKeyOptions"/>.</value>
    public SigningKeyOptions SigningKey { get; set; } = new();

    /// <summary>Gets or sets the limits on the scopes of an issued token; a request over them is refused with a <see cref="ScopeFormatException"/>. Every value must be positive.</summary>
    /// <value>The default is a new <see cref="ScopeLimits"/>.</value>
    public ScopeLimits Limits { get; set; } = new();
}
