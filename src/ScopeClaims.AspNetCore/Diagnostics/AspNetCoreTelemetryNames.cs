namespace ScopeClaims.AspNetCore.Internal;

/// <summary>The tag names of the <c>ScopeClaims.AspNetCore</c> meter.</summary>
internal static class AspNetCoreTelemetryNames
{
    public const string Scheme = "scopeclaims.scheme";
    public const string RequirementKind = "scopeclaims.requirement.kind";
    public const string RequirementMatch = "scopeclaims.requirement.match";

    /// <summary>A requirement added to a policy (<c>RequireScope</c> on a policy builder, or made in code).</summary>
    public const string Policy = "policy";

    /// <summary>A requirement from endpoint metadata (<c>[RequireScope]</c> on a controller or action, <c>RequireScope</c> on a minimal API endpoint or group).</summary>
    public const string Endpoint = "endpoint";

    public const string Unauthenticated = "unauthenticated";
    public const string MissingScope = "missing_scope";
    public const string InvalidScopeClaims = "invalid_scope_claims";
}
