using System;
using System.Collections.Generic;

namespace ScopeClaims.Internal;

internal static class ClaimNameRules
{
    /// <summary>RFC 7519 §4.1 registered claims, which the issuer sets itself and extra claims may never override.</summary>
    public static readonly HashSet<string> Registered = new(StringComparer.Ordinal) { "iss", "sub", "aud", "exp", "nbf", "iat", "jti" };

    /// <summary>Every claim type that any issuer uses for scopes; extra claims may never carry one.</summary>
    public static readonly HashSet<string> ScopeTypes = new(StringComparer.Ordinal) { ScopeClaimTypes.Scope, ScopeClaimTypes.Scp, ScopeClaimTypes.MicrosoftScope };

    public static void ThrowIfInvalid(string? claimName, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimName, paramName);
        if (Registered.Contains(claimName))
        {
            throw new ArgumentException($"The scope claim name '{claimName}' is a registered JWT claim (RFC 7519 §4.1); choose another name such as 'scope' or 'scp'.", paramName);
        }
    }
}
