using System.Net;
using static ScopeClaims.Testing.Partner.Tests.Partners;

namespace ScopeClaims.Testing.Partner.Tests;

public class JwtBearerGrantTests
{
    [Fact]
    public async Task Token_ValidArrayAssertion_IssuesATokenTheApiAccepts()
    {
        await using var partner = await StartAsync();

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));
        var json = await JsonAsync(response);
        var token = await AssertTokenAsync(response);

        Assert.Equal(3600, json.GetProperty("expires_in").GetInt32());
        Assert.Equal("read:a write:b", json.GetProperty("scope").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var recorded = Assert.Single(partner.TokenRequests);
        Assert.Equal(token, recorded.IssuedToken);
        Assert.Equal(JwtBearer, recorded.GrantType);
        Assert.Equal(ScopeSet.Parse("read:a write:b"), recorded.GrantedScopes);
        Assert.Equal([token], partner.IssuedTokens);

        using var api = new HttpRequestMessage(HttpMethod.Get, new Uri(partner.ApiBase, "things/1"));
        api.Headers.Authorization = new("Bearer", token);
        using var apiResponse = await Web.SendAsync(api);
        Assert.Equal(HttpStatusCode.OK, apiResponse.StatusCode);
        Assert.Equal(new FakePartnerApiRequest("GET", "things/1", "Bearer " + token, true), Assert.Single(partner.ApiRequests));
    }

    [Fact]
    public async Task Api_UnknownOrRevokedToken_Is401WithBearerChallenge()
    {
        await using var partner = await StartAsync();
        using var issued = await JwtBearerAsync(partner, Assertions.Valid(partner));
        var token = await AssertTokenAsync(issued);
        partner.RevokeIssuedTokens();

        foreach (var authorization in new[] { "Bearer " + token, "Bearer made-up", null })
        {
            using var api = new HttpRequestMessage(HttpMethod.Post, new Uri(partner.ApiBase, "x"));
            if (authorization is not null)
            {
                api.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await Web.SendAsync(api);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.All(partner.ApiRequests, static r => Assert.False(r.Accepted));
    }

    [Theory]
    [InlineData(FakePartnerScopeRule.Array, true, true)]
    [InlineData(FakePartnerScopeRule.Array, false, false)]
    [InlineData(FakePartnerScopeRule.SpaceDelimited, true, false)]
    [InlineData(FakePartnerScopeRule.SpaceDelimited, false, true)]
    [InlineData(FakePartnerScopeRule.Either, true, true)]
    [InlineData(FakePartnerScopeRule.Either, false, true)]
    public async Task Token_ScopeShape_FollowsTheRule(FakePartnerScopeRule rule, bool array, bool accepted)
    {
        await using var partner = await StartAsync(o => o.ScopeRule = rule);
        object scope = array ? new[] { "read:a", "write:b" } : "read:a write:b";

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner, scope));

        if (accepted)
        {
            await AssertTokenAsync(response);
            Assert.Equal(ScopeSet.Parse("read:a write:b"), partner.TokenRequests[0].GrantedScopes);
        }
        else
        {
            var description = await AssertErrorAsync(response, 400, "invalid_grant");
            Assert.Contains("the scope claim is", description, StringComparison.Ordinal);
            Assert.Empty(partner.IssuedTokens);
        }
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[\"read:a\", 7]")]
    [InlineData("\"\"")]
    public async Task Token_ScopeClaimOfAnotherShape_IsInvalidGrant(string scopeJson)
    {
        await using var partner = await StartAsync(o => o.ScopeRule = FakePartnerScopeRule.Either);
        var claims = Assertions.Claims(partner);
        claims["scope"] = System.Text.Json.JsonDocument.Parse(scopeJson).RootElement.Clone();

        using var response = await JwtBearerAsync(partner, Assertions.Sign(claims));

        Assert.Contains("the scope claim is", await AssertErrorAsync(response, 400, "invalid_grant"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_NoScopeClaim_IsRefusedUnlessNotRequired()
    {
        await using var strict = await StartAsync();
        await using var lenient = await StartAsync(o => o.RequireScopeClaim = false);

        var claims = Assertions.Claims(strict);
        claims["scope"] = null;
        using var refused = await JwtBearerAsync(strict, Assertions.Sign(claims));
        Assert.Contains("the scope claim is missing", await AssertErrorAsync(refused, 400, "invalid_grant"), StringComparison.Ordinal);

        var lenientClaims = Assertions.Claims(lenient);
        lenientClaims["scope"] = null;
        using var accepted = await JwtBearerAsync(lenient, Assertions.Sign(lenientClaims));
        await AssertTokenAsync(accepted);
        Assert.True(lenient.TokenRequests[0].GrantedScopes.IsEmpty);
    }

    public static TheoryData<string, string> BrokenClaims => new()
    {
        { "iss", "'iss' is" },
        { "sub", "sub must be" },
        { "aud", "'aud' is" },
        { "exp", "exp" },
        { "jti", "jti is missing" },
        { "expired", "expired" },
        { "far", "s away" },
        { "long", "exp - iat" },
        { "slash", "'aud' is" },
    };

    [Theory]
    [MemberData(nameof(BrokenClaims))]
    public async Task Token_AssertionBreakingAClaimRule_IsInvalidGrantNamingTheRule(string broken, string named)
    {
        await using var partner = await StartAsync();
        var claims = Assertions.Claims(partner);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (broken)
        {
            case "iss": claims["iss"] = "someone-else"; break;
            case "sub": claims["sub"] = "someone-else"; break;
            case "aud": claims["aud"] = "https://elsewhere.example/token"; break;
            case "exp": claims["exp"] = null; break;
            case "jti": claims["jti"] = null; break;
            case "expired": claims["exp"] = now - 10; claims["iat"] = now - 100; break;
            case "far": claims["exp"] = now + 3600; claims["iat"] = null; break;
            case "long": claims["iat"] = now - 3600; break;
            default: claims["aud"] = partner.TokenEndpoint.AbsoluteUri + "/"; break;
        }

        using var response = await JwtBearerAsync(partner, Assertions.Sign(claims));

        var description = await AssertErrorAsync(response, 400, "invalid_grant");
        Assert.Contains(named, description, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(partner.IssuedTokens);
        Assert.Equal("invalid_grant", partner.TokenRequests[0].Error);
    }

    [Fact]
    public async Task Token_ConfiguredAudienceAndSubject_AreRequiredInstead()
    {
        await using var partner = await StartAsync(o =>
        {
            o.Audience = "https://partner.example";
            o.Subject = "user-7";
        });
        var claims = Assertions.Claims(partner);
        claims["aud"] = "https://partner.example";
        claims["sub"] = "user-7";

        using var accepted = await JwtBearerAsync(partner, Assertions.Sign(claims));
        await AssertTokenAsync(accepted);

        using var endpointAudience = await JwtBearerAsync(partner, Assertions.Valid(partner));
        await AssertErrorAsync(endpointAudience, 400, "invalid_grant");
    }

    [Fact]
    public async Task Token_ReplayedJti_IsRefusedTheSecondTime()
    {
        await using var partner = await StartAsync();
        var assertion = Assertions.Valid(partner);

        using var first = await JwtBearerAsync(partner, assertion);
        using var second = await JwtBearerAsync(partner, assertion);

        await AssertTokenAsync(first);
        Assert.Contains("jti was used before", await AssertErrorAsync(second, 400, "invalid_grant"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RefusedAssertion_DoesNotBurnItsJti()
    {
        await using var partner = await StartAsync();
        var claims = Assertions.Claims(partner, jti: "jti-1");
        claims["sub"] = "someone-else";
        using var refused = await JwtBearerAsync(partner, Assertions.Sign(claims));
        await AssertErrorAsync(refused, 400, "invalid_grant");

        using var accepted = await JwtBearerAsync(partner, Assertions.Sign(Assertions.Claims(partner, jti: "jti-1")));

        await AssertTokenAsync(accepted);
    }

    [Fact]
    public async Task Token_SignedByAnotherKeyWithTheSameKid_IsInvalidGrant()
    {
        await using var partner = await StartAsync();

        using var response = await JwtBearerAsync(partner, Assertions.Sign(Assertions.Claims(partner), OtherKey));

        await AssertErrorAsync(response, 400, "invalid_grant");
    }

    [Fact]
    public async Task Token_UnsignedAssertion_IsInvalidGrant()
    {
        await using var partner = await StartAsync();

        using var response = await JwtBearerAsync(partner, Assertions.Unsigned(Assertions.Claims(partner)));

        await AssertErrorAsync(response, 400, "invalid_grant");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c.d.e")]
    public async Task Token_AssertionThatIsNotAJws_IsInvalidGrant(string assertion)
    {
        await using var partner = await StartAsync();

        using var response = await JwtBearerAsync(partner, assertion);

        await AssertErrorAsync(response, 400, "invalid_grant");
    }

    [Fact]
    public async Task Token_ScopeParameter_MustBeASubsetOfTheAssertion()
    {
        await using var partner = await StartAsync();

        using var narrower = await JwtBearerAsync(partner, Assertions.Valid(partner), ("scope", "read:a"));
        using var wider = await JwtBearerAsync(partner, Assertions.Valid(partner), ("scope", "read:a admin"));

        var json = await JsonAsync(narrower);
        Assert.Equal("read:a", json.GetProperty("scope").GetString());
        Assert.Contains("admin", await AssertErrorAsync(wider, 400, "invalid_scope"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ScopeOutsideAllowedScopes_IsInvalidScope()
    {
        await using var partner = await StartAsync(o => o.AllowedScopes = ScopeSet.Parse("read:a"));

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.Contains("write:b", await AssertErrorAsync(response, 400, "invalid_scope"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_WithoutExpiresIn_LeavesItOut()
    {
        await using var partner = await StartAsync(o => o.TokenLifetimeSeconds = null);

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.False((await JsonAsync(response)).TryGetProperty("expires_in", out _));
    }

    [Fact]
    public async Task Token_ManualClock_DecidesExpiry()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var partner = await StartAsync(o => o.TimeProvider = clock);
        var assertion = Assertions.Valid(partner);
        clock.Advance(TimeSpan.FromMinutes(3));

        using var response = await JwtBearerAsync(partner, assertion);

        Assert.Contains("expired", await AssertErrorAsync(response, 400, "invalid_grant"), StringComparison.Ordinal);
    }
}
