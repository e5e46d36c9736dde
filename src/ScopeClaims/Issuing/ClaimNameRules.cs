using System;
using System.Collections.Generic;
using System.Globalization;

namespace ScopeClaims.Internal;

/// <summary>
/// The names the writing side never gives a claim of its own choosing (an extra claim, a copied claim, the scope claim of
/// a profile), compared ignoring case.
/// </summary>
/// <remarks>
/// .NET compares claim types ignoring case (<c>ClaimsIdentity.HasClaim</c>, <c>FindAll</c>, <c>RequireClaim</c>), so a
/// consumer reads <c>SCOPE</c> as <c>scope</c> and <c>ISS</c> as <c>iss</c>. Names are compared as
/// <see cref="StringComparison.OrdinalIgnoreCase"/> does and, more widely, character by character under the invariant
/// upper- and lower-case mappings (as Java's <c>equalsIgnoreCase</c> does, where <c>ſcope</c> is <c>scope</c>), so no
/// consumer's case-insensitive comparison finds a scope or registered claim in a name the issuer let through.
/// </remarks>
internal static class ClaimNameRules
{
    /// <summary>Compares claim names ignoring case, as widely as any consumer's case-insensitive comparison might.</summary>
    public static readonly IEqualityComparer<string> NameComparer = new CaseInsensitiveNameComparer();

    /// <summary>
    /// The claims the issuer and its profile own: RFC 7519 §4.1 registered claims, and <c>typ</c>/<c>cty</c>, which name
    /// the token's type. Extra claims, copied claims and scope serializers may never write one, in any case.
    /// </summary>
    public static readonly HashSet<string> Reserved = new(NameComparer) { "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "typ", "cty" };

    /// <summary>The reserved names, for messages.</summary>
    public const string ReservedList = "iss, sub, aud, exp, nbf, iat, jti, typ, cty";

    /// <summary>Every claim type that any issuer uses for scopes; extra claims may never carry one, in any case.</summary>
    public static readonly HashSet<string> ScopeTypes = new(ScopeClaimTypes.All, NameComparer);

    /// <summary>The scope claim type <paramref name="name"/> differs from only in case, or <see langword="null"/> (also when it is one exactly).</summary>
    public static string? ScopeTypeOfCaseVariant(string name)
    {
        foreach (var type in ScopeTypes)
        {
            if (!string.Equals(name, type, StringComparison.Ordinal) && NameComparer.Equals(name, type))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>Checks the name a serializer writes scopes under.</summary>
    public static void ThrowIfInvalid(string? claimName, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimName, paramName);
        if (Reserved.Contains(claimName))
        {
            throw new ArgumentException($"The scope claim name '{claimName}' is a registered JWT claim or a profile-owned one ({ReservedList}, in any letter case); choose another name such as 'scope' or 'scp'.", paramName);
        }

        if (ScopeTypeOfCaseVariant(claimName) is { } scopeType)
        {
            throw new ArgumentException($"The scope claim name '{claimName}' differs from the scope claim '{scopeType}' only in case; consumers compare claim types ignoring case, so name it '{scopeType}' exactly.", paramName);
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
        var seen = new HashSet<string>(NameComparer);
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

    private sealed class CaseInsensitiveNameComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null && y is null;
            }

            if (string.Equals(x, y, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (x.Length != y.Length)
            {
                return false;
            }

            for (var i = 0; i < x.Length; i++)
            {
                char a = x[i], b = y[i];
                if (a != b && char.ToUpperInvariant(a) != char.ToUpperInvariant(b) && char.ToLowerInvariant(a) != char.ToLowerInvariant(b))
                {
                    return false;
                }
            }

            return true;
        }

        // Note: names equal under either comparison have the same length; the sets hold a handful of names.
        public int GetHashCode(string obj) => obj.Length;
    }
}
