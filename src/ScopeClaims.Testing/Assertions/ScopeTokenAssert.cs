using System;

namespace ScopeClaims.Testing;

/// <summary>The entry point of token assertions, for any test framework (xunit, NUnit, MSTest, ...).</summary>
/// <example>
/// <code>
/// ScopeTokenAssert.That(token)
///     .HasScopeArray("read:a", "write:b")
///     .DoesNotHaveClaim("scp")
///     .IsSignedWith(kid: keys.Active.KeyId, alg: "RS256");
/// </code>
/// </example>
public static class ScopeTokenAssert
{
    /// <summary>Starts assertions on a compact JWS. The token is read here, <em>without validation</em>.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The assertions, to chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="MalformedTokenException">The token cannot be read at all (see <see cref="TokenInspector.InspectUnvalidated"/>).</exception>
    public static ScopeTokenAssertions That(string token) => new(token, TokenInspector.InspectUnvalidated(token));
}
