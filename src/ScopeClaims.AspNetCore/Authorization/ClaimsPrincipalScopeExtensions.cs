using System;
using System.Security.Claims;
using ScopeClaims.AspNetCore.Internal;

namespace ScopeClaims.AspNetCore;

/// <summary>Reads scopes from a <see cref="ClaimsPrincipal"/> in handler code.</summary>
public static class ClaimsPrincipalScopeExtensions
{
    /// <summary>
    /// Gets a value indicating whether an authenticated identity of <paramref name="principal"/> holds
    /// <paramref name="scope"/> (ordinal comparison), whatever the shape of its scope claims.
    /// </summary>
    /// <param name="principal">The user, e.g. <c>HttpContext.User</c>.</param>
    /// <param name="scope">One scope.</param>
    /// <returns><see langword="true"/> when the scope is granted; <see langword="false"/> when it is not, or when the scope claims are hostile.</returns>
    /// <remarks>
    /// Allocates nothing on a principal normalized by <c>AddScopeNormalization</c>; any other principal is read through
    /// <see cref="ScopeNormalizer.Default"/>.
    /// </remarks>
    public static bool HasScope(this ClaimsPrincipal principal, string scope)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(scope);
        return ScopeClaimsMatcher.HasScope(principal, scope);
    }
}
