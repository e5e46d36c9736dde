using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Authorization;

using ScopeClaims.AspNetCore.Internal;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// Requires an authenticated user holding any (by default) or all of the named OAuth scopes, on a controller, an
/// action or a minimal API handler. Implies <c>[Authorize]</c>.
/// </summary>
/// <remarks>
/// <para>
/// Several attributes on one endpoint must all be satisfied, so <c>[RequireScope("a")] [RequireScope("b")]</c> requires
/// both; <c>[RequireScope("a", "b")]</c> requires either, and <c>[RequireScope("a", "b", ScopeMatch = ScopeMatch.All)]</c> both.
/// </para>
/// <para>
/// Like <see cref="AuthorizeAttribute"/>, <see cref="AuthenticationSchemes"/>, <see cref="Policy"/> and
/// <see cref="Roles"/> may be set too; <c>[AllowAnonymous]</c> still wins. See <see cref="ScopeAuthorizationRequirement"/>
/// for how scopes are read and compared.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [ApiController, Route("appointments")]
/// public sealed class AppointmentsController : ControllerBase
/// {
///     [HttpGet, RequireScope("read:appointments")]
///     public IActionResult List() => Ok();
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireScopeAttribute : Attribute, IAuthorizeData, IAuthorizationRequirementData
{
    private readonly string[] _scopes;
    private ScopeAuthorizationRequirement? _requirement;

    /// <summary>Initializes a new instance of the <see cref="RequireScopeAttribute"/> class.</summary>
    /// <param name="scopes">The scopes: at least one, each one RFC 6749 scope token.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scopes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or an element is not one scope token.</exception>
    public RequireScopeAttribute(params string[] scopes)
    {
        // Note: checked here so that a scope that could never be granted fails when the endpoints are built.
        _scopes = Internal.ScopeArguments.Check(scopes, nameof(scopes));
    }

    /// <summary>Gets the scopes.</summary>
    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>Gets or sets whether any or all of <see cref="Scopes"/> are required.</summary>
    /// <value>The default is <see cref="ScopeMatch.Any"/>.</value>
    public ScopeMatch ScopeMatch { get; set; }

    /// <summary>Gets or sets a policy that must be satisfied too.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Policy { get; set; }

    /// <summary>Gets or sets a comma-separated list of roles, one of which the user must also have.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Roles { get; set; }

    /// <summary>Gets or sets a comma-separated list of the authentication schemes that build the user.</summary>
    /// <value>The default is <see langword="null"/>: the default policy's schemes, else the default scheme.</value>
    public string? AuthenticationSchemes { get; set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ScopeMatch"/> is not a defined value.</exception>
    public IEnumerable<IAuthorizationRequirement> GetRequirements()
    {
        var requirement = _requirement;
        if (requirement is null || requirement.Match != ScopeMatch)
        {
            _requirement = requirement = new ScopeAuthorizationRequirement(ScopeMatch, _scopes, AspNetCoreTelemetryNames.Endpoint);
        }

        return new[] { requirement };
    }
}
