using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.AspNetCore.Tests.Authentication;

/// <summary>
/// ASP.NET Core compares claim types ignoring case (RequireClaim, ClaimsPrincipal.HasClaim, FindAll), so a claim named
/// like a scope claim but for case must never reach the principal: normalization refuses the token instead.
/// </summary>
public class ScopeClaimCaseVariantTests : IClassFixture<ApiFixture>
{
    // Every check an application could use to ask for "admin"; the normalizer must leave none of them granting.
    private static readonly string[] ScopeChecks = { "/claim/scope", "/claim/scp", "/claim/mapped", "/has-claim", "/admin", "/any", "/claims" };

    private readonly ApiFixture _fixture;

    public ScopeClaimCaseVariantTests(ApiFixture fixture) => _fixture = fixture;

    public static TheoryData<string, string> CaseVariants => new()
    {
        { "SCOPE alone", "\"SCOPE\":\"admin\"" },
        { "Scope as an array", "\"Scope\":[\"admin\"]" },
        { "scope, then SCOPE", "\"scope\":\"read:a\",\"SCOPE\":\"admin\"" },
        { "SCOPE, then scope", "\"SCOPE\":\"admin\",\"scope\":\"read:a\"" },
        { "scope and sCoPe agreeing", "\"scope\":\"admin\",\"sCoPe\":\"admin\"" },
        { "Scope a number", "\"Scope\":123" },
        { "Scope null", "\"Scope\":null" },
        { "Scope an object", "\"Scope\":{\"admin\":true}" },
        { "SCOPE with an escaped capital", "\"\\u0053COPE\":\"admin\"" },
        { "SCP alone", "\"SCP\":[\"admin\"]" },
        { "scp, then Scp", "\"scp\":\"read:a\",\"Scp\":\"admin\"" },
        { "mapped URI in capitals", "\"HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE\":\"admin\"" },
    };

    [Theory]
    [MemberData(nameof(CaseVariants))]
    public async Task Authenticate_ScopeClaimNamedInAnotherCase_Is401ForEveryScopeCheck(string variant, string scopeMembers)
    {
        var token = TestTokens.Create(scopeMembers);
        foreach (var mapInboundClaims in new[] { true, false })
        {
            var api = _fixture.Api(mapInboundClaims);
            foreach (var path in ScopeChecks)
            {
                using var response = await ScopeNormalizationTests.SendAsync(api, path, token);

                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{variant}, MapInboundClaims {mapInboundClaims}, {path}: {response.StatusCode}");
                Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("\"\\u017Fcope\":\"admin\"")]
    [InlineData("\"http://schemas.microsoft.com/\\u0131dentity/claims/scope\":\"admin\"")]
    public async Task Authenticate_NameOrdinalIgnoreCaseDoesNotFold_IsNoScopeClaimToAnyCheck(string scopeMembers)
    {
        // The long s and the dotless i are not 's' and 'i' to OrdinalIgnoreCase, so no ASP.NET Core check reads these
        // claims as scopes, and the normalizer leaves them alone.
        var token = TestTokens.Create(scopeMembers);
        foreach (var mapInboundClaims in new[] { true, false })
        {
            var api = _fixture.Api(mapInboundClaims);

            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(api, "/claim/scope", token));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(api, "/claim/mapped", token));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(api, "/admin", token));
            using var response = await ScopeNormalizationTests.SendAsync(api, "/has-claim", token);
            Assert.Equal("denied", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Authenticate_ScopeClaimNamedInAnotherCase_LogsTheScopeClaimItStandsFor()
    {
        var api = _fixture.Api(mapInboundClaims: false);

        using var response = await ScopeNormalizationTests.SendAsync(api, "/claims", TestTokens.Create("\"sCoPe\":\"admin\""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(api.Logs.Entries, e => e.Event.Name == "ScopesRefused"
            && e.Text.Contains("'scope'", StringComparison.Ordinal)
            && e.Text.Contains(nameof(ScopeErrorReason.ConflictingClaims), StringComparison.Ordinal));
        Assert.DoesNotContain(api.Logs.Entries, e => e.Text.Contains("sCoPe", StringComparison.Ordinal));
    }

    public static TheoryData<string, bool> ExactScopeClaims()
    {
        var data = new TheoryData<string, bool>();
        foreach (var members in new[] { "\"scope\":\"admin\"", "\"scp\":[\"admin\"]", "\"scope\":\"admin\",\"scp\":\"admin\"", "\"" + ScopeClaimTypes.MicrosoftScope + "\":\"admin\"" })
        {
            data.Add(members, true);
            data.Add(members, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExactScopeClaims))]
    public async Task Authenticate_ScopeClaimInItsOwnCase_GrantsThroughScopeOnly(string scopeMembers, bool mapInboundClaims)
    {
        // The control for the refusals above: the same token with the claim named exactly is normalized to "scope".
        var api = _fixture.Api(mapInboundClaims);
        var token = TestTokens.Create(scopeMembers);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/claim/scope", token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/admin", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(api, "/claim/scp", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(api, "/claim/mapped", token));
        using var response = await ScopeNormalizationTests.SendAsync(api, "/has-claim", token);
        Assert.Equal("granted", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, HttpStatusCode, HttpStatusCode> ConfiguredClaimTypes => new()
    {
        // What the token carries; then RequireClaim("scope", "admin") and RequireScope("admin") answer.
        { "permissions, as configured", "\"permissions\":[\"admin\"]", HttpStatusCode.OK, HttpStatusCode.OK },
        { "PERMISSIONS", "\"PERMISSIONS\":[\"admin\"]", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized },
        { "permissions, then Permissions", "\"permissions\":[\"read:a\"],\"Permissions\":[\"admin\"]", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized },
        { "SCOPE, with scope not configured", "\"SCOPE\":\"admin\"", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized },
        { "Scp, with scp not configured", "\"Scp\":\"admin\"", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized },
        { "scope, not configured", "\"scope\":\"admin\"", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
        { "scp, not configured", "\"scp\":\"admin\"", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(ConfiguredClaimTypes))]
    public async Task Authenticate_OnlyAConfiguredClaimType_IsReadAndNoOtherScopeClaimSurvives(string what, string scopeMembers, HttpStatusCode requireClaim, HttpStatusCode requireScope)
    {
        await using var api = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddScopeNormalizer(o =>
                {
                    o.ClaimTypes.Clear();
                    o.ClaimTypes.Add("permissions");
                });
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                    .AddJwtBearer(o => o.TokenValidationParameters = TestTokens.ValidationParameters())
                    .AddScopeNormalization();
                builder.Services.AddAuthorization();
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/claim/scope", () => "ok").RequireAuthorization(p => p.RequireClaim("scope", "admin"));
                app.MapGet("/claim/scp", () => "ok").RequireAuthorization(p => p.RequireClaim("scp", "admin"));
                app.MapGet("/claim/permissions", () => "ok").RequireAuthorization(p => p.RequireClaim("permissions", "admin"));
                app.MapGet("/claim/mapped", () => "ok").RequireAuthorization(p => p.RequireClaim(ScopeClaimTypes.MicrosoftScope, "admin"));
                app.MapGet("/admin", () => "ok").RequireScope("admin");
            });
        var token = TestTokens.Create(scopeMembers);

        Assert.True(requireClaim == await StatusAsync(api, "/claim/scope", token), what);
        Assert.True(requireScope == await StatusAsync(api, "/admin", token), what);
        var other = requireClaim == HttpStatusCode.Unauthorized ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        Assert.True(other == await StatusAsync(api, "/claim/scp", token), what);
        Assert.True(other == await StatusAsync(api, "/claim/permissions", token), what);
        Assert.True(other == await StatusAsync(api, "/claim/mapped", token), what);
    }

    private static async Task<HttpStatusCode> StatusAsync(KestrelApp api, string path, string token)
    {
        using var response = await ScopeNormalizationTests.SendAsync(api, path, token);
        return response.StatusCode;
    }
}
