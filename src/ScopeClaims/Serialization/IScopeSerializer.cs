using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>
/// Writes a <see cref="ScopeSet"/> into the claims of a token being issued: the seam that decides the scope's shape.
/// </summary>
/// <remarks>
/// ScopeClaims ships <see cref="ArrayScopeSerializer"/>, <see cref="SpaceDelimitedScopeSerializer"/> and
/// <see cref="CombinedScopeSerializer"/>. Register your own <see cref="IScopeSerializer"/> in dependency injection
/// (keyed by profile name, or unkeyed for every profile) and it replaces the shipped one.
/// </remarks>
public interface IScopeSerializer
{
    /// <summary>Gets the claim names this serializer writes; the issuer refuses extra claims that name one of them.</summary>
    IReadOnlyList<string> ClaimNames { get; }

    /// <summary>Adds the claims that carry <paramref name="scopes"/>.</summary>
    /// <param name="scopes">The scopes.</param>
    /// <param name="claims">The token's payload claims, to add to.</param>
    void WriteClaims(ScopeSet scopes, IDictionary<string, object> claims);
}
