using System;
using System.Collections.Generic;
using System.Globalization;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>Checks the scopes a requirement names, so that a scope which could never be granted fails at start-up.</summary>
internal static class ScopeArguments
{
    public static string[] Check(IEnumerable<string> scopes, string paramName)
    {
        ArgumentNullException.ThrowIfNull(scopes, paramName);
        var checkedScopes = new List<string>();
        foreach (var scope in scopes)
        {
            if (!ScopeSet.IsValidScope(scope))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The required scope at index {checkedScopes.Count} is null, empty, or not one RFC 6749 §3.3 scope token (printable ASCII without space, '\"' or '\\'); name each scope separately, e.g. RequireScope(\"read\", \"write\")."),
                    paramName);
            }

            if (!checkedScopes.Contains(scope))
            {
                checkedScopes.Add(scope);
            }
        }

        if (checkedScopes.Count == 0)
        {
            throw new ArgumentException("At least one scope is required.", paramName);
        }

        return checkedScopes.ToArray();
    }

    public static ScopeMatch Check(ScopeMatch match, string paramName) =>
        match is ScopeMatch.Any or ScopeMatch.All ? match : throw new ArgumentOutOfRangeException(paramName, match, "ScopeMatch must be Any or All.");
}
