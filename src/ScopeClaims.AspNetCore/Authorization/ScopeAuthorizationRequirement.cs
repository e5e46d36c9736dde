using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.AspNetCore.Internal;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// An authorization requirement, and its own handler, that the user holds <see cref="ScopeMatch.Any">any</see> or
/// <see cref="ScopeMatch.All">all</see> of a list of OAuth scopes.
/// </summary>
/// <remarks>
/// <para>
/// Scopes are compared ordinally (RFC 6749 §3.3: scopes are case-sensitive). Only claims of authenticated identities
/// count; a claim on an identity whose <see cref="ClaimsIdentity.IsAuthenticated"/> is
/// <see langword="false"/> never grants anything.
/// </para>
/// <para>
/// A principal normalized by <c>AddScopeNormalization</c> (one <c>scope</c> claim per scope) is checked without
/// allocating. Any other principal (a scheme that was not normalized, a cookie) is read through the
/// <see cref="ScopeNormalizer"/> registered in dependency injection, or <see cref="ScopeNormalizer.Default"/>, so every
/// issuer shape still works; a hostile scope claim then satisfies no requirement.
/// </para>
/// <para>Like <see cref="Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement"/>, the requirement is its own handler: nothing needs registering.</para>
/// </remarks>
public sealed class ScopeAuthorizationRequirement : AuthorizationHandler<ScopeAuthorizationRequirement>, IAuthorizationRequirement
{
    private readonly string[] _scopes;

    /// <summary>Initializes a new instance of the <see cref="ScopeAuthorizationRequirement"/> class.</summary>
    /// <param name="match">Whether any or all of <paramref name="scopes"/> are required.</param>
    /// <param name="scopes">The scopes: at least one, each one RFC 6749 scope token. Duplicates are ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scopes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty, or an element is null, empty or holds a space or another character outside the grammar.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="match"/> is not a defined value.</exception>
    public ScopeAuthorizationRequirement(ScopeMatch match, IEnumerable<string> scopes)
        : this(match, scopes, AspNetCoreTelemetryNames.Policy)
    {
    }

    /// <summary>Makes a requirement whose failures are counted under <paramref name="kind"/> (policy or endpoint).</summary>
    internal ScopeAuthorizationRequirement(ScopeMatch match, IEnumerable<string> scopes, string kind)
    {
        Match = ScopeArguments.Check(match, nameof(match));
        _scopes = ScopeArguments.Check(scopes, nameof(scopes));
        _kind = kind;
    }

    private readonly string _kind;

    /// <summary>Gets whether any or all of <see cref="Scopes"/> are required.</summary>
    public ScopeMatch Match { get; }

    /// <summary>Gets the scopes, without duplicates, in the order given.</summary>
    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>Gets a value indicating whether <paramref name="user"/> satisfies this requirement.</summary>
    /// <param name="user">The user.</param>
    /// <param name="normalizer">Reads a principal that was not normalized (see the remarks of the class), or <see langword="null"/> for <see cref="ScopeNormalizer.Default"/>.</param>
    /// <returns><see langword="true"/> when the authenticated identities of <paramref name="user"/> hold any or all of <see cref="Scopes"/>, as <see cref="Match"/> says.</returns>
    public bool IsSatisfiedBy(ClaimsPrincipal user, ScopeNormalizer? normalizer = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ScopeClaimsMatcher.IsSatisfied(user, _scopes, Match, normalizer, resource: null);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{nameof(ScopeAuthorizationRequirement)}:Scope {(Match == ScopeMatch.Any ? "one of" : "all of")} ({string.Join('|', _scopes)})";

    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeAuthorizationRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);

        if (ScopeClaimsMatcher.IsSatisfied(context.User, requirement._scopes, requirement.Match, fallback: null, context.Resource))
        {
            context.Succeed(requirement);
        }
        else
        {
            CountFailure(context, requirement);
        }

        return Task.CompletedTask;
    }

    private static void CountFailure(AuthorizationHandlerContext context, ScopeAuthorizationRequirement requirement)
    {
        // Note: the host's meter when the request's services have one (AddScopeNormalization, AddScopeClaims health
        // checks), else the shared one, which an OpenTelemetry MeterProvider sees just the same.
        var services = (context.Resource as HttpContext)?.RequestServices;
        var failures = (services?.GetService<ScopeClaimsAspNetCoreMetrics>() ?? ScopeClaimsAspNetCoreMetrics.Shared).AuthorizationFailures;
        if (failures.Enabled)
        {
            failures.Add(
                1,
                new(AspNetCoreTelemetryNames.RequirementKind, requirement._kind),
                new(AspNetCoreTelemetryNames.RequirementMatch, requirement.Match == ScopeMatch.Any ? "any" : "all"),
                new(TelemetryNames.FailureReason, ScopeClaimsMatcher.FailureReason(context.User, context.Resource)));
        }
    }
}
