using System;
using System.Collections.Generic;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>Writes scopes as an RFC 8693 §4.2 space-delimited string: <c>"scope": "read:a write:b"</c>. An empty set omits the claim.</summary>
public sealed class SpaceDelimitedScopeSerializer : IScopeSerializer, IUtf8ScopeWriter
{
    private readonly string[] _claimNames;

    /// <summary>Initializes a new instance of the <see cref="SpaceDelimitedScopeSerializer"/> class.</summary>
    /// <param name="claimName">The claim name.</param>
    public SpaceDelimitedScopeSerializer(string claimName = ScopeClaimTypes.Scope)
    {
        ClaimNameRules.ThrowIfInvalid(claimName, nameof(claimName));
        ClaimName = claimName;
        _claimNames = [claimName];
    }

    /// <summary>Gets the claim name.</summary>
    public string ClaimName { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClaimNames => _claimNames;

    /// <inheritdoc/>
    public void WriteClaims(ScopeSet scopes, IDictionary<string, object> claims)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(claims);
        if (!scopes.IsEmpty)
        {
            claims[ClaimName] = scopes.ToString();
        }
    }

    void IUtf8ScopeWriter.Write(ScopeSet scopes, Utf8JsonWriter writer)
    {
        if (!scopes.IsEmpty)
        {
            writer.WriteString(ClaimName, scopes.ToString());
        }
    }
}
