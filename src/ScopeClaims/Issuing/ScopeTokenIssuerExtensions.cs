using System;

namespace ScopeClaims;

/// <summary>Shortcuts for <see cref="IScopeTokenIssuer"/>.</summary>
public static class ScopeTokenIssuerExtensions
{
    /// <summary>Issues a token carrying <paramref name="scopes"/> with the profile's defaults.</summary>
    /// <param name="issuer">The issuer.</param>
    /// <param name="scopes">The scopes.</param>
    /// <param name="subject">The <c>sub</c> claim, or <see langword="null"/>.</param>
    /// <returns>The compact token.</returns>
    public static string Issue(this IScopeTokenIssuer issuer, ScopeSet scopes, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.Issue(new ScopeTokenRequest(scopes) { Subject = subject });
    }

    /// <summary>Issues a token carrying the scopes of a space-delimited string with the profile's defaults.</summary>
    /// <param name="issuer">The issuer.</param>
    /// <param name="scopes">The scopes, space-delimited.</param>
    /// <param name="subject">The <c>sub</c> claim, or <see langword="null"/>.</param>
    /// <returns>The compact token.</returns>
    /// <exception cref="ScopeFormatException"><paramref name="scopes"/> is not a valid scope string.</exception>
    public static string Issue(this IScopeTokenIssuer issuer, string scopes, string? subject = null) =>
        Issue(issuer, ScopeSet.Parse(scopes), subject);
}
