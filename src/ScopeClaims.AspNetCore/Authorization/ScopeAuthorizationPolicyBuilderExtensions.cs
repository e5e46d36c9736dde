using System;
using ScopeClaims.AspNetCore;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Adds scope requirements to an <see cref="AuthorizationPolicyBuilder"/>.</summary>
public static class ScopeAuthorizationPolicyBuilderExtensions
{
    /// <summary>Requires that the user holds at least one of <paramref name="scopes"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="scopes">The scopes: at least one, each one RFC 6749 scope token.</param>
    /// <returns>The builder, for chaining. Chained requirements must all be satisfied: <c>RequireScope("a").RequireScope("b")</c> requires both.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or an element is not one scope token.</exception>
    /// <remarks>See <see cref="ScopeAuthorizationRequirement"/> for how scopes are read and compared.</remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddAuthorization(o => o.AddPolicy("read", p => p.RequireScope("read:appointments", "admin")));
    /// </code>
    /// </example>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes) =>
        Add(builder, ScopeMatch.Any, scopes);

    /// <summary>Requires that the user holds every one of <paramref name="scopes"/>.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="scopes">The scopes: at least one, each one RFC 6749 scope token.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or an element is not one scope token.</exception>
    public static AuthorizationPolicyBuilder RequireAllScopes(this AuthorizationPolicyBuilder builder, params string[] scopes) =>
        Add(builder, ScopeMatch.All, scopes);

    private static AuthorizationPolicyBuilder Add(AuthorizationPolicyBuilder builder, ScopeMatch match, string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ScopeAuthorizationRequirement(match, scopes));
    }
}
