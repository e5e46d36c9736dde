using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Tests.Shared;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

public class TokenExchangeSuccessTests
{
    [Fact]
    public async Task Post_SecretBasic_IssuesTokenThatVerifiesWithTheHostsJwksInArrayShape()
    {
        await using var host = await StartAsync();
        var subject = Subject("read write");

        using var response = await host.ExchangeAsync(Exchange(subject, ("audience", Partner)));

        var body = await AssertSuccessAsync(response);
        Assert.Equal(["access_token", "issued_token_type", "token_type", "expires_in", "scope"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(AccessTokenType, body.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt64(), 1, 300);
        Assert.Equal("read write", body.GetProperty("scope").GetString());
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal("""["read","write"]""", ScopeJson(token));
        Assert.Equal([Partner], token.Audiences);
        Assert.Equal("client-1", token.Subject);
        Assert.Equal(1, host.Logs.Entries.Count(e => e.Event.Name == "TokenExchanged"));
        host.AssertLogsHoldNone(subject, body.GetProperty("access_token").GetString()!, Secret);
    }

    [Fact]
    public async Task Post_SecretPost_Issues()
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_id", SecretClient), ("client_secret", Secret))));

        var body = await AssertSuccessAsync(response);
        await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task Post_NoAudience_SingleTarget_TokenNamesTheTargetsAudiencesTheClientMayAddress()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject()));

        var body = await AssertSuccessAsync(response);
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal([Partner, PartnerSecondAudience], token.Audiences);
    }

    [Fact]
    public async Task Post_ScopeSubset_TokenCarriesExactlyTheRequestedScopesAndResponseOmitsScope()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject("read write"), ("scope", "write"), ("audience", Partner)));

        var body = await AssertSuccessAsync(response);
        Assert.False(body.TryGetProperty("scope", out _));
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal("""["write"]""", ScopeJson(token));
    }

    [Fact]
    public async Task Post_SubjectGrantsMoreThanTheClientMay_TokenCarriesTheClientsScopesAndResponseSaysSo()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject("read write admin"), ("audience", Partner)));

        var body = await AssertSuccessAsync(response);
        Assert.Equal("read write", body.GetProperty("scope").GetString());
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal("""["read","write"]""", ScopeJson(token));
    }

    [Fact]
    public async Task Post_JwtTypes_IssuedTokenTypeIsJwt()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(
            ("grant_type", TokenExchangeGrant), ("subject_token", Subject()), ("subject_token_type", JwtTokenType), ("requested_token_type", JwtTokenType));

        var body = await AssertSuccessAsync(response);
        Assert.Equal(JwtTokenType, body.GetProperty("issued_token_type").GetString());
    }

    [Fact]
    public async Task Post_Resource_SelectsTheTargetAndNamesIt()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), ("resource", PartnerSecondAudience)));

        var body = await AssertSuccessAsync(response);
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!, PartnerSecondAudience);
        Assert.Equal([PartnerSecondAudience], token.Audiences);
    }

    [Fact]
    public async Task Post_AudienceAndResourceOfOneTarget_TokenNamesBoth()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), ("audience", Partner), ("resource", PartnerSecondAudience)));

        var body = await AssertSuccessAsync(response);
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal([Partner, PartnerSecondAudience], token.Audiences);
    }

    [Fact]
    public async Task Post_TwoTargets_AudienceSelectsTheSecondProfileAndItsStringShape()
    {
        await using var host = await StartAsync(twoTargets: true);

        using var response = await host.ExchangeAsync(Exchange(Subject("read write"), ("audience", Reports)));

        var body = await AssertSuccessAsync(response);
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!, Reports, OurIssuer + "/reports");
        Assert.Equal("\"read write\"", ScopeJson(token));
    }

    [Fact]
    public async Task Post_AnonymousOptedIn_IssuesWithinTheAnonymousAllowlists()
    {
        await using var host = await StartAsync(Anonymous);

        using var response = await host.PostAsync(Form(Exchange(Subject("read write admin"))));

        var body = await AssertSuccessAsync(response);
        Assert.Equal("read", body.GetProperty("scope").GetString());
        var token = await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
        Assert.Equal([Partner], token.Audiences);
    }

    /// <summary>Anonymous exchange on, limited to the partner's first audience and the scope "read".</summary>
    internal static void Anonymous(TokenExchangeOptions o)
    {
        o.AllowAnonymousClients = true;
        o.AnonymousAllowedAudiences.Add(Partner);
        o.AnonymousAllowedScopes.Add("read");
    }

    [Fact]
    public async Task Post_InboundIssuerByLoopbackAuthority_Issues()
    {
        // The inbound issuer's keys come from an OpenID Connect authority on 127.0.0.1, as in production.
        await using var authority = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", (HttpContext c) => Results.Text($$"""{"issuer":"{{TestTokens.Issuer}}","jwks_uri":"http://{{c.Request.Host}}/jwks"}""", "application/json"));
            app.MapGet("/jwks", () => Results.Text(new SigningKeySet(TestTokens.Key).ExportPublicJwks(), "application/json"));
        });
        await using var host = await StartAsync(services: b => b.Services.Configure<ScopeTokenConverterOptions>(string.Empty, o =>
        {
            o.Issuers.Clear();
            var inbound = new InboundIssuerOptions { Issuer = TestTokens.Issuer, Authority = authority.Address };
            inbound.Audiences.Add(TestTokens.Audience);
            inbound.Algorithms.Add("ES256");
            o.Issuers.Add(inbound);
        }));

        using var response = await host.ExchangeAsync(Exchange(Subject()));

        var body = await AssertSuccessAsync(response);
        await host.VerifyIssuedAsync(body.GetProperty("access_token").GetString()!);
    }
}
