using System.Net;
using ScopeClaims.AspNetCore.Tests.Authentication;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.AspNetCore.Tests.Authorization;

public class RequireScopeEndpointTests : IClassFixture<ApiFixture>
{
    private readonly ApiFixture _fixture;

    public RequireScopeEndpointTests(ApiFixture fixture) => _fixture = fixture;

    // Every token grants read:a and write:b, whatever its shape.
    public static TheoryData<string, HttpStatusCode> Endpoints => new()
    {
        { "/any", HttpStatusCode.OK },                   // RequireScope("read:a", "admin"): any of
        { "/all", HttpStatusCode.OK },                   // RequireAllScopes("read:a", "write:b")
        { "/all-missing", HttpStatusCode.Forbidden },    // RequireAllScopes("read:a", "admin")
        { "/admin", HttpStatusCode.Forbidden },
        { "/upper", HttpStatusCode.Forbidden },          // RequireScope("READ:A"): scopes are case-sensitive
        { "/policy", HttpStatusCode.OK },                // policy RequireScope("read:a").RequireScope("write:b")
        { "/attribute", HttpStatusCode.OK },             // [RequireScope("write:b")] on a minimal API handler
        { "/attribute-all", HttpStatusCode.Forbidden },  // [RequireScope("read:a", "admin", ScopeMatch = All)]
        { "/group/write", HttpStatusCode.OK },           // group read:a and endpoint write:b: both
        { "/group/admin", HttpStatusCode.Forbidden },    // group read:a and endpoint admin: both
        { "/controller/write", HttpStatusCode.OK },      // [RequireScope("read:a")] controller, [RequireScope("write:b")] action
        { "/controller/admin", HttpStatusCode.Forbidden },
        { "/controller/anonymous", HttpStatusCode.OK },  // [AllowAnonymous] wins
    };

    public static TheoryData<string, string, HttpStatusCode, bool> EveryShapeOnEveryEndpoint()
    {
        var data = new TheoryData<string, string, HttpStatusCode, bool>();
        foreach (var shape in IssuerShapeTable.ScopeMembers())
        {
            foreach (var endpoint in Endpoints)
            {
                data.Add((string)shape[1], (string)endpoint[0], (HttpStatusCode)endpoint[1], true);
                data.Add((string)shape[1], (string)endpoint[0], (HttpStatusCode)endpoint[1], false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryShapeOnEveryEndpoint))]
    public async Task Request_EveryIssuerShape_GetsTheStatusThePolicySays(string scopeMembers, string path, HttpStatusCode expected, bool mapInboundClaims)
    {
        using var response = await ScopeNormalizationTests.SendAsync(_fixture.Api(mapInboundClaims), path, TestTokens.Create(scopeMembers));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/any")]
    [InlineData("/attribute")]
    [InlineData("/controller/write")]
    public async Task Request_NoToken_Is401(string path)
    {
        using var response = await ScopeNormalizationTests.SendAsync(_fixture.Api(true), path, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Request_UnauthenticatedIdentityClaimingScopes_NeverCounts(bool mapInboundClaims)
    {
        var api = _fixture.Api(mapInboundClaims);

        using var withToken = await ScopeNormalizationTests.SendAsync(api, "/admin", TestTokens.Create("\"scope\":\"write:b\""), addUnauthenticatedIdentity: true);
        using var withoutToken = await ScopeNormalizationTests.SendAsync(api, "/any", token: null, addUnauthenticatedIdentity: true);

        Assert.Equal(HttpStatusCode.Forbidden, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
    }

    [Fact]
    public async Task Request_TokenWithoutScopes_Is403()
    {
        using var response = await ScopeNormalizationTests.SendAsync(_fixture.Api(true), "/any", TestTokens.Create(string.Empty));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
