namespace ScopeClaims.Tests.Shared;

/// <summary>
/// Every shape in which issuers in the wild write scopes (Auth0, Keycloak, Cognito, OpenIddict: a <c>scope</c> string;
/// Duende, ForgeRock: a <c>scope</c> array; Okta, Ory Hydra: an <c>scp</c> array; Entra ID: an <c>scp</c> string, mapped
/// or not), each granting <c>read:a</c> and <c>write:b</c>, for <c>[Theory]</c> data wherever a reader must give the
/// same set for all of them.
/// </summary>
internal static class IssuerShapeTable
{
    /// <summary>The issuers, and the scope members they write into a payload (e.g. <c>"scope":"read:a write:b"</c>).</summary>
    public static IReadOnlyList<(string Issuer, string ScopeMembers)> Rows { get; } = new[]
    {
        ("Auth0, Keycloak, Cognito, OpenIddict: scope string", "\"scope\":\"read:a write:b\""),
        ("Duende, ForgeRock: scope array", "\"scope\":[\"read:a\",\"write:b\"]"),
        ("Okta, Ory Hydra: scp array", "\"scp\":[\"read:a\",\"write:b\"]"),
        ("Entra ID: scp string", "\"scp\":\"read:a write:b\""),
        ("ScopeClaims Both: scope string plus scp array", "\"scope\":\"read:a write:b\",\"scp\":[\"write:b\",\"read:a\"]"),
    };

    /// <summary>Issuer and scope members (JSON members without braces, to be placed beside other claims).</summary>
    public static TheoryData<string, string> ScopeMembers()
    {
        var data = new TheoryData<string, string>();
        foreach (var (issuer, members) in Rows)
        {
            data.Add(issuer, members);
        }

        return data;
    }

    /// <summary>Issuer and a payload holding the scope members alone (e.g. <c>{"scope":"read:a write:b"}</c>).</summary>
    public static TheoryData<string, string> Payloads()
    {
        var data = new TheoryData<string, string>();
        foreach (var (issuer, members) in Rows)
        {
            data.Add(issuer, "{" + members + "}");
        }

        return data;
    }
}
