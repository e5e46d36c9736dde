using System;

namespace ScopeClaims;

/// <summary>The result of a conversion: the new token and what it says.</summary>
public sealed class ScopeTokenConversion
{
    /// <summary>Initializes a new instance of the <see cref="ScopeTokenConversion"/> class.</summary>
    /// <param name="token">The new compact token.</param>
    /// <param name="scopes">The scopes it carries.</param>
    /// <param name="sourceIssuer">The source token's issuer.</param>
    /// <param name="subject">The subject copied from the source, if any.</param>
    /// <param name="expiresAt">The new token's <c>exp</c>.</param>
    public ScopeTokenConversion(string token, ScopeSet scopes, string sourceIssuer, string? subject, DateTimeOffset expiresAt)
    {
        Token = token ?? throw new ArgumentNullException(nameof(token));
        Scopes = scopes ?? throw new ArgumentNullException(nameof(scopes));
        SourceIssuer = sourceIssuer ?? throw new ArgumentNullException(nameof(sourceIssuer));
        Subject = subject;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the new compact token, signed by our key in the target shape.</summary>
    public string Token { get; }

    /// <summary>Gets the scopes the new token carries (a subset of the source's).</summary>
    public ScopeSet Scopes { get; }

    /// <summary>Gets the validated source token's issuer.</summary>
    public string SourceIssuer { get; }

    /// <summary>Gets the subject copied from the source, if any.</summary>
    public string? Subject { get; }

    /// <summary>Gets the new token's expiry; never later than the source's.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <inheritdoc/>
    public override string ToString() => $"Converted token from '{SourceIssuer}' with scopes '{Scopes}' expiring {ExpiresAt:O}";
}
