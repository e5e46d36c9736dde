using System;
using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>What one issued token should say beyond its profile: the scopes, the subject and optional extras.</summary>
public sealed class ScopeTokenRequest
{
    /// <summary>Initializes a new instance of the <see cref="ScopeTokenRequest"/> class.</summary>
    /// <param name="scopes">The scopes.</param>
    public ScopeTokenRequest(ScopeSet scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        Scopes = scopes;
    }

    /// <summary>Gets the scopes.</summary>
    public ScopeSet Scopes { get; }

    /// <summary>Gets the <c>sub</c> claim, or <see langword="null"/> for none.</summary>
    public string? Subject { get; init; }

    /// <summary>Gets audiences that replace the profile's, or <see langword="null"/> for the profile's.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>Gets the lifetime, or <see langword="null"/> for the profile's <see cref="ScopeTokenOptions.Lifetime"/>. Capped by <see cref="ScopeTokenOptions.MaxLifetime"/>.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>Gets an instant the token must not outlive (the converter passes the source token's <c>exp</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>
    /// Gets extra payload claims (strings, numbers, booleans, or lists of those). They may not name a registered claim
    /// (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>jti</c>) nor any scope claim.
    /// </summary>
    public IReadOnlyDictionary<string, object>? Claims { get; init; }
}
