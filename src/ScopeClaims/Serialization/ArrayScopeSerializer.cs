using System;
using System.Collections.Generic;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>Writes scopes as a JSON array: <c>"scope": ["read:a", "write:b"]</c>. A one-element set is still an array.</summary>
/// <remarks>An array is an extension to RFC 8693 §4.2 that some peers (for example RFC 7523 profiles) require.</remarks>
public sealed class ArrayScopeSerializer : IScopeSerializer, IUtf8ScopeWriter
{
    private readonly string[] _claimNames;

    /// <summary>Initializes a new instance of the <see cref="ArrayScopeSerializer"/> class.</summary>
    /// <param name="claimName">The claim name.</param>
    /// <param name="writeEmptyArray">Whether an empty set writes <c>[]</c>; by default the claim is omitted.</param>
    public ArrayScopeSerializer(string claimName = ScopeClaimTypes.Scope, bool writeEmptyArray = false)
    {
        ClaimNameRules.ThrowIfInvalid(claimName, nameof(claimName));
        ClaimName = claimName;
        WriteEmptyArray = writeEmptyArray;
        _claimNames = [claimName];
    }

    /// <summary>Gets the claim name.</summary>
    public string ClaimName { get; }

    /// <summary>Gets a value indicating whether an empty set writes <c>[]</c> rather than omitting the claim.</summary>
    public bool WriteEmptyArray { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClaimNames => _claimNames;

    /// <inheritdoc/>
    public void WriteClaims(ScopeSet scopes, IDictionary<string, object> claims)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(claims);
        if (scopes.IsEmpty && !WriteEmptyArray)
        {
            return;
        }

        // Note: a list, not a string, so JsonWebTokenHandler writes a JSON array even for one element.
        claims[ClaimName] = new List<string>(scopes);
    }

    void IUtf8ScopeWriter.Write(ScopeSet scopes, Utf8JsonWriter writer)
    {
        if (scopes.IsEmpty && !WriteEmptyArray)
        {
            return;
        }

        writer.WriteStartArray(ClaimName);
        foreach (var scope in scopes)
        {
            writer.WriteStringValue(scope);
        }

        writer.WriteEndArray();
    }
}
