namespace ScopeClaims.Testing.Partner;

/// <summary>What the token endpoint answers to one request: the scopes granted, or a refusal.</summary>
internal sealed record FakePartnerVerdict(int StatusCode, string? Error, string? Description, string? WwwAuthenticate, ScopeSet Scopes)
{
    public static FakePartnerVerdict Granted(ScopeSet scopes) => new(200, null, null, null, scopes);

    public static FakePartnerVerdict Refused(int statusCode, string error, string description, string? wwwAuthenticate = null) =>
        new(statusCode, error, description, wwwAuthenticate, ScopeSet.Empty);
}
