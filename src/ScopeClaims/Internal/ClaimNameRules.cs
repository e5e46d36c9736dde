using System;
using System.Collections.Generic;
using System.Globalization;

namespace ScopeClaims.Internal;

internal static class ClaimNameRules
{
    /// <summary>
    /// The claims the issuer and its profile own: RFC 7519 §4.1 registered claims, and <c>typ</c>/<c>cty</c>, which name
    /// the token's type. Extra claims, copied claims and scope serializers may never write one.
    /// </summary>
    /// <remarks>
    /// Compared ignoring case: .NET consumers (<c>ClaimsIdentity.FindFirst</c>, <c>HasClaim</c>) compare claim types
    /// case-insensitively, so <c>"AUD"</c> would read as an audience.
    /// </remarks>
    public static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "typ", "cty" };

    /// <summary>Every claim type that any issuer uses for scopes, compared ignoring case; extra claims may never carry one.</summary>
    public static readonly HashSet<string> ScopeTypes = new(StringComparer.OrdinalIgnoreCase) { ScopeClaimTypes.Scope, ScopeClaimTypes.Scp, ScopeClaimTypes.MicrosoftScope };

    /// <summary>The reserved names, for messages.</summary>
    public const string ReservedList = "iss, sub, aud, exp, nbf, iat, jti, typ, cty";

    public static void ThrowIfInvalid(string? claimName, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimName, paramName);
        if (Reserved.Contains(claimName))
        {
            throw new ArgumentException($"The scope claim name '{claimName}' is a registered JWT claim or a profile-owned one ({ReservedList}, in any letter case); choose another name such as 'scope' or 'scp'.", paramName);
        }
    }

    /// <summary>
    /// The problems of a serializer's declared <see cref="IScopeSerializer.ClaimNames"/>: none, an empty name, a reserved
    /// name, or two names that differ only in case. Each message names the serializer type and the name.
    /// </summary>
    public static List<string> CheckSerializer(IScopeSerializer serializer, out string[] names)
    {
        var problems = new List<string>();
        var type = serializer.GetType().Name;
        var declared = serializer.ClaimNames;
        if (declared is null || declared.Count == 0)
        {
            names = [];
            problems.Add($"IScopeSerializer.ClaimNames of {type} is empty: a serializer declares the claims it writes.");
            return problems;
        }

        names = new string[declared.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            var name = declared[i];
            names[i] = name;
            var at = string.Create(CultureInfo.InvariantCulture, $"IScopeSerializer.ClaimNames[{i}] of {type}");
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{at} is empty.");
            }
            else if (Reserved.Contains(name))
            {
                problems.Add($"{at} is '{name}', a registered JWT claim or a profile-owned one ({ReservedList}, in any letter case) that only the issuer writes.");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{at} is '{name}', which is declared twice (names are compared ignoring case).");
            }
        }

        return problems;
    }
}
