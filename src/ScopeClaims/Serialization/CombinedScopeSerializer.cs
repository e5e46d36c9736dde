using System;
using System.Collections.Generic;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// Writes scopes in both shapes at once under two claim names, by default <c>"scope": "a b"</c> and <c>"scp": ["a", "b"]</c>:
/// useful while peers migrate from one shape to the other.
/// </summary>
public sealed class CombinedScopeSerializer : IScopeSerializer, IUtf8ScopeWriter
{
    private readonly SpaceDelimitedScopeSerializer _string;
    private readonly ArrayScopeSerializer _array;
    private readonly string[] _claimNames;

    /// <summary>Initializes a new instance of the <see cref="CombinedScopeSerializer"/> class.</summary>
    /// <param name="stringClaimName">The claim that carries the space-delimited string.</param>
    /// <param name="arrayClaimName">The claim that carries the array; it must differ from <paramref name="stringClaimName"/>, ignoring case (.NET consumers compare claim types ignoring case).</param>
    /// <param name="writeEmptyArray">Whether an empty set writes <c>[]</c> in the array claim; by default both claims are omitted.</param>
    public CombinedScopeSerializer(string stringClaimName = ScopeClaimTypes.Scope, string arrayClaimName = ScopeClaimTypes.Scp, bool writeEmptyArray = false)
    {
        _string = new SpaceDelimitedScopeSerializer(stringClaimName);
        _array = new ArrayScopeSerializer(arrayClaimName, writeEmptyArray);
        if (ClaimNameRules.NameComparer.Equals(stringClaimName, arrayClaimName))
        {
            throw new ArgumentException($"The string and array claim names must differ, ignoring case; they are '{stringClaimName}' and '{arrayClaimName}'.", nameof(arrayClaimName));
        }

        _claimNames = [stringClaimName, arrayClaimName];
    }

    /// <summary>Gets the claim that carries the space-delimited string.</summary>
    public string StringClaimName => _string.ClaimName;

    /// <summary>Gets the claim that carries the array.</summary>
    public string ArrayClaimName => _array.ClaimName;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClaimNames => _claimNames;

    /// <inheritdoc/>
    public void WriteClaims(ScopeSet scopes, IDictionary<string, object> claims)
    {
        _string.WriteClaims(scopes, claims);
        _array.WriteClaims(scopes, claims);
    }

    void IUtf8ScopeWriter.Write(ScopeSet scopes, Utf8JsonWriter writer)
    {
        ((IUtf8ScopeWriter)_string).Write(scopes, writer);
        ((IUtf8ScopeWriter)_array).Write(scopes, writer);
    }
}
