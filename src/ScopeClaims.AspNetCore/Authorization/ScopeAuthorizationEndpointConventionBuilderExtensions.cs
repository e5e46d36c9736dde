using System;
using ScopeClaims.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds scope requirements to endpoints: minimal API handlers, route groups, controllers.</summary>
public static class ScopeAuthorizationEndpointConventionBuilderExtensions
{
    /// <summary>Requires an authenticated user holding at least one of <paramref name="scopes"/>; implies <c>RequireAuthorization()</c>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint, group or controller convention builder.</param>
    /// <param name="scopes">The scopes: at least one, each one RFC 6749 scope token.</param>
    /// <returns>The builder, for chaining. Requirements added on a group and on its endpoints must all be satisfied.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or an element is not one scope token.</exception>
    /// <remarks>Adds a <see cref="RequireScopeAttribute"/> to the endpoint metadata. See <see cref="ScopeAuthorizationRequirement"/> for how scopes are read and compared.</remarks>
    /// <example>
    /// <code>
    /// app.MapGet("/appointments", () => "...").RequireScope("read:appointments");
    /// </code>
    /// </example>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        Add(builder, new RequireScopeAttribute(scopes));

    /// <summary>Requires an authenticated user holding every one of <paramref name="scopes"/>; implies <c>RequireAuthorization()</c>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint, group or controller convention builder.</param>
    /// <param name="scopes">The scopes: at least one, each one RFC 6749 scope token.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or an element is not one scope token.</exception>
    public static TBuilder RequireAllScopes<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        Add(builder, new RequireScopeAttribute(scopes) { ScopeMatch = ScopeMatch.All });

    private static TBuilder Add<TBuilder>(TBuilder builder, RequireScopeAttribute attribute)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(attribute));
        return builder;
    }
}
