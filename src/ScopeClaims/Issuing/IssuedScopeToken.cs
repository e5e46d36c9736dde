using System;

namespace ScopeClaims;

/// <summary>A token just issued and when it expires.</summary>
/// <remarks><see cref="ToString"/> never shows the token, so an instance written to a log or a trace leaks nothing.</remarks>
public readonly struct IssuedScopeToken : IEquatable<IssuedScopeToken>
{
    /// <summary>Initializes a new instance of the <see cref="IssuedScopeToken"/> struct.</summary>
    /// <param name="token">The compact JWS.</param>
    /// <param name="expiresAt">Its <c>exp</c>.</param>
    public IssuedScopeToken(string token, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(token);
        Token = token;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the compact JWS.</summary>
    public string Token { get; }

    /// <summary>Gets the token's <c>exp</c>, to the second.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Compares two issued tokens.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when both hold the same token and expiry.</returns>
    public static bool operator ==(IssuedScopeToken left, IssuedScopeToken right) => left.Equals(right);

    /// <summary>Compares two issued tokens.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(IssuedScopeToken left, IssuedScopeToken right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(IssuedScopeToken other) => string.Equals(Token, other.Token, StringComparison.Ordinal) && ExpiresAt == other.ExpiresAt;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IssuedScopeToken other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Token, ExpiresAt);

    /// <summary>Describes the token without showing it.</summary>
    /// <returns>The expiry, and the token's length.</returns>
    public override string ToString() => $"IssuedScopeToken {{ ExpiresAt = {ExpiresAt:O}, Length = {Token?.Length ?? 0} }}";
}
