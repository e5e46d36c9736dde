using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ScopeClaims.Testing.Internal;

/// <summary>Reads the scopes of an array or string claim strictly, saying what is wrong rather than normalizing it away.</summary>
internal static class ScopeClaimReader
{
    public static bool TryRead(ScopeClaimInspection claim, out ScopeSet scopes, [NotNullWhen(false)] out string? problem)
    {
        scopes = ScopeSet.Empty;
        var array = claim.Shape == ScopeClaimShape.Array;
        var values = claim.Values;
        if (!array && claim.Text is { Length: 0 })
        {
            // Note: as ScopeNormalizer refuses it; RFC 6749 §3.3 has no empty scope string.
            problem = "is an empty string, which holds no scope (RFC 6749 §3.3): omit the claim, or use an empty array, when there is no scope.";
            return false;
        }

        if (!array && !string.Equals(claim.Text, string.Join(' ', values), StringComparison.Ordinal))
        {
            problem = "is not scopes joined by single spaces (RFC 6749 §3.3): it has leading, trailing or repeated spaces.";
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            if (!ScopeSet.IsValidScope(values[i]))
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"holds a value that is not one RFC 6749 §3.3 scope: {(array ? "element" : "word")} at index {i} is empty or has a character outside %x21 / %x23-5B / %x5D-7E.");
                return false;
            }

            if (!seen.Add(values[i]))
            {
                problem = $"holds the scope {JsonText.String(values[i])} more than once.";
                return false;
            }
        }

        try
        {
            scopes = ScopeSet.Create(values);
        }
        catch (ScopeFormatException ex)
        {
            problem = "exceeds the default ScopeLimits: " + ex.Message;
            return false;
        }

        problem = null;
        return true;
    }
}
