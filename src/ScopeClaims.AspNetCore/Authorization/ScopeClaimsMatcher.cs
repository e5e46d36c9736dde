using System;
using System.Collections.Generic;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Reads the scopes of a principal in the normalized form (one <c>scope</c> claim per scope) without allocating,
/// and falls back to <see cref="ScopeNormalizer"/> for a principal that was not normalized.
/// </summary>
internal static class ScopeClaimsMatcher
{
    /// <summary>Gets a value indicating whether an authenticated identity holds a <c>scope</c> claim equal (ordinal) to <paramref name="scope"/>.</summary>
    public static bool HasNormalizedScope(ClaimsPrincipal principal, string scope) =>
        AnyClaim(principal, scope, static (claim, s) => claim.Type == ScopeClaimTypes.Scope && string.Equals(claim.Value, s, StringComparison.Ordinal));

    /// <summary>
    /// Gets a value indicating whether every scope claim of the authenticated identities is in the normalized form: type
    /// <c>scope</c>, a string value holding one scope. <c>scp</c>, the mapped Entra type, a space-delimited value, a
    /// claim typed as JSON, or a claim named like one of these in another case (which ASP.NET Core's own checks read as
    /// that scope claim) means the principal came from somewhere that did not normalize it.
    /// </summary>
    public static bool IsNormalized(ClaimsPrincipal principal) => !AnyClaim(principal, 0, static (claim, _) =>
        claim.Type == ScopeClaimTypes.Scope
            ? claim.Value.Contains(' ', StringComparison.Ordinal) || !IsString(claim.ValueType)
            : IsScopeClaimTypeIgnoringCase(claim.Type));

    /// <summary>Decides a requirement; a principal whose scope claims are hostile satisfies nothing.</summary>
    /// <param name="principal">The user.</param>
    /// <param name="scopes">The required scopes.</param>
    /// <param name="match">Any or all.</param>
    /// <param name="fallback">Reads a principal that was not normalized; when <see langword="null"/>, the one registered in the request's services, else <see cref="ScopeNormalizer.Default"/>.</param>
    /// <param name="resource">The authorization resource: the <see cref="HttpContext"/> under endpoint routing.</param>
    public static bool IsSatisfied(ClaimsPrincipal principal, IReadOnlyList<string> scopes, ScopeMatch match, ScopeNormalizer? fallback, object? resource)
    {
        if (IsNormalized(principal))
        {
            return Decide(scopes, match, principal, static (scope, p) => HasNormalizedScope(p, scope));
        }

        return ReadNotNormalized(principal, fallback, resource) is { } granted
            && Decide(scopes, match, granted, static (scope, set) => set.Contains(scope));
    }

    /// <summary>Why a requirement was not satisfied, for the failure counter: no authenticated identity, hostile scope claims, or a missing scope.</summary>
    public static string FailureReason(ClaimsPrincipal principal, object? resource)
    {
        var authenticated = false;
        foreach (var identity in principal.Identities)
        {
            authenticated |= identity.IsAuthenticated;
        }

        if (!authenticated)
        {
            return AspNetCoreTelemetryNames.Unauthenticated;
        }

        return !IsNormalized(principal) && ReadNotNormalized(principal, fallback: null, resource) is null
            ? AspNetCoreTelemetryNames.InvalidScopeClaims
            : AspNetCoreTelemetryNames.MissingScope;
    }

    /// <summary>Gets a value indicating whether the principal holds one scope; a principal whose scope claims are hostile holds none.</summary>
    public static bool HasScope(ClaimsPrincipal principal, string scope) =>
        IsNormalized(principal)
            ? HasNormalizedScope(principal, scope)
            : ReadNotNormalized(principal, fallback: null, resource: null)?.Contains(scope) == true;

    private static ScopeSet? ReadNotNormalized(ClaimsPrincipal principal, ScopeNormalizer? fallback, object? resource)
    {
        // Note: the request's services are reached only here, on the path that allocates anyway. Only authenticated
        // identities are read, as on the normalized path.
        fallback ??= (resource as HttpContext)?.RequestServices?.GetService<ScopeNormalizer>() ?? ScopeNormalizer.Default;
        try
        {
            return fallback.Read(principal);
        }
        catch (ScopeFormatException)
        {
            return null;
        }
    }

    private static bool Decide<TState>(IReadOnlyList<string> scopes, ScopeMatch match, TState state, Func<string, TState, bool> isGranted)
    {
        var any = match == ScopeMatch.Any;
        for (var i = 0; i < scopes.Count; i++)
        {
            var granted = isGranted(scopes[i], state);
            if (any && granted)
            {
                return true;
            }

            if (!any && !granted)
            {
                return false;
            }
        }

        return !any;
    }

    // Note: indexed, not enumerated, so that no enumerator is allocated on this path.
    private static bool IsScopeClaimTypeIgnoringCase(string type)
    {
        var all = ScopeClaimTypes.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (string.Equals(type, all[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsString(string valueType) => valueType.Length == 0 || string.Equals(valueType, ClaimValueTypes.String, StringComparison.Ordinal);

    // Note: ClaimsPrincipal.Identities and ClaimsIdentity.Claims are List<T> behind IEnumerable<T>; iterating the list
    // itself avoids boxing its enumerator, which would otherwise allocate on every authorization check (on .NET 8).
    private static bool AnyClaim<TState>(ClaimsPrincipal principal, TState state, Func<Claim, TState, bool> predicate)
    {
        if (principal.Identities is List<ClaimsIdentity> identities)
        {
            foreach (var identity in identities)
            {
                if (AnyClaim(identity, state, predicate))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var identity in principal.Identities)
        {
            if (AnyClaim(identity, state, predicate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyClaim<TState>(ClaimsIdentity? identity, TState state, Func<Claim, TState, bool> predicate)
    {
        // Claims of an unauthenticated identity never count.
        if (identity is null || !identity.IsAuthenticated)
        {
            return false;
        }

        if (identity.Claims is List<Claim> claims)
        {
            foreach (var claim in claims)
            {
                if (predicate(claim, state))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var claim in identity.Claims)
        {
            if (predicate(claim, state))
            {
                return true;
            }
        }

        return false;
    }
}
