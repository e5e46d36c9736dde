using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>
/// Writes a <see cref="ScopeSet"/> into the claims of a token being issued: the seam that decides the scope's shape.
/// </summary>
/// <remarks>
/// ScopeClaims ships <see cref="ArrayScopeSerializer"/>, <see cref="SpaceDelimitedScopeSerializer"/> and
/// <see cref="CombinedScopeSerializer"/>. Register your own <see cref="IScopeSerializer"/> in dependency injection
/// (keyed by profile name, or unkeyed for every profile) and it replaces the shipped one.
/// <para>
/// A serializer writes only the claims it declares in <see cref="ClaimNames"/>. A declared name that is a registered or
/// profile-owned claim (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>jti</c>, <c>typ</c>,
/// <c>cty</c>, in any letter case) is refused when the issuer is made (in a host, when it starts); a write to any name
/// it did not declare fails the issue, and nothing is issued. The serializer is given a dictionary of its own, so it
/// cannot read, replace or remove the token's other claims.
/// </para>
/// </remarks>
public interface IScopeSerializer
{
    /// <summary>
    /// Gets the claim names this serializer writes: at least one, none empty, none reserved, no two equal ignoring case.
    /// The issuer reads them once, when it is made, and refuses extra claims that name one of them.
    /// </summary>
    IReadOnlyList<string> ClaimNames { get; }

    /// <summary>Adds the claims that carry <paramref name="scopes"/>.</summary>
    /// <param name="scopes">The scopes.</param>
    /// <param name="claims">The scope claims, to add to: only names of <see cref="ClaimNames"/>, with non-null values.</param>
    void WriteClaims(ScopeSet scopes, IDictionary<string, object> claims);
}
