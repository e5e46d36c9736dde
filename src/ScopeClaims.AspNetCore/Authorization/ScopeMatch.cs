namespace ScopeClaims.AspNetCore;

/// <summary>How a <see cref="ScopeAuthorizationRequirement"/> combines the scopes it names.</summary>
public enum ScopeMatch
{
    /// <summary>At least one of the scopes must be granted, like <c>RequireClaim</c> and <c>RequireRole</c>.</summary>
    Any,

    /// <summary>Every one of the scopes must be granted.</summary>
    All,
}
