using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Testing.Partner;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>private_key_jwt client authentication (RFC 7523 §2.2) with the JWT-bearer grant, against the strict fake partner.</summary>
public class PrivateKeyJwtTests
{
    private static ServiceProvider BuildJwtBearer(FakePartner partner, Action<JwtBearerGrantOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        FakePartners.Build(partner, b => b.AddJwtBearerGrant(o =>
        {
            o.TokenEndpoint = partner.TokenEndpoint;
            o.Scopes = ScopeSet.Parse("read:a");
            o.ClientAuthentication = ClientAuthenticationMethod.PrivateKeyJwt;
            configure?.Invoke(o);
        }), services);

    [Fact]
    public async Task GetAsync_PrivateKeyJwt_SendsAClientAssertionThePartnerAccepts()
    {
        await using var partner = await FakePartners.StartAsync(o => o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt);
        await using var provider = BuildJwtBearer(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(partner.TokenRequests);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
        Assert.NotNull(request.Assertion);
        Assert.False(request.Form.ContainsKey("client_secret"));
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task GetAsync_PrivateKeyJwt_ClientAssertionClaimsAndSignatureHoldAndJtiIsFreshAcrossThe401Retry()
    {
        await using var partner = await FakePartners.StartAsync(o => o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt);
        await using var provider = BuildJwtBearer(partner);
        (await provider.Client().GetAsync("a")).Dispose();
        partner.RevokeIssuedTokens();

        using var retried = await provider.Client().GetAsync("b");   // 401, then a fresh token with a fresh client assertion

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, partner.TokenRequests.Count);
        var jtis = new List<string>();
        foreach (var request in partner.TokenRequests)
        {
            var token = await FakePartners.ValidateClientAssertionAsync(request.ClientAssertion!, partner.TokenEndpoint.AbsoluteUri);
            Assert.Equal(FakePartners.ClientId, token.Issuer);
            Assert.Equal(FakePartners.ClientId, token.Subject);
            Assert.Equal([partner.TokenEndpoint.AbsoluteUri], token.Audiences);
            Assert.True(token.ValidTo - token.IssuedAt <= TimeSpan.FromSeconds(60));
            Assert.True(token.ValidTo > token.IssuedAt);
            Assert.Equal(16, Base64UrlEncoder.DecodeBytes(token.Id).Length);
            Assert.Equal("fake-client-key", token.Kid);
            jtis.Add(token.Id);
        }

        Assert.Equal(2, jtis.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEqual(partner.TokenRequests[0].ClientAssertion, partner.TokenRequests[1].ClientAssertion);
    }

    [Fact]
    public async Task GetAsync_ClientAssertionAudienceAndLifetimeSet_AssertionCarriesThem()
    {
        const string Issuer = "https://partner.example";
        await using var partner = await FakePartners.StartAsync(o => o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt);
        await using var provider = BuildJwtBearer(partner, o =>
        {
            o.ClientAssertion.Audience = Issuer;
            o.ClientAssertion.Lifetime = TimeSpan.FromSeconds(20);
        });

        await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a")); // the partner wants its token endpoint

        var token = await FakePartners.ValidateClientAssertionAsync(Assert.Single(partner.TokenRequests).ClientAssertion!, Issuer);
        Assert.True(token.ValidTo - token.IssuedAt <= TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task GetAsync_PartnerRefusesTheClientAssertion_IsTypedAndNothingIsCached()
    {
        await using var partner = await FakePartners.StartAsync(o => o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt);
        await using var provider = BuildJwtBearer(partner);
        partner.FailNextTokenRequests(FakePartnerFailure.Error("invalid_client", "unknown key", 401));

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));
        using var next = await provider.Client().GetAsync("b");

        Assert.Equal("invalid_client", ex.Error);
        Assert.DoesNotContain(partner.TokenRequests[0].ClientAssertion!, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, partner.TokenRequests.Count);
    }

    [Theory]
    [InlineData("secret", "JwtBearerGrantOptions.ClientSecret is set but ClientAuthentication is PrivateKeyJwt")]
    [InlineData("lifetime", "JwtBearerGrantOptions.ClientAssertion.Lifetime must be positive and at most 00:05:00")]
    [InlineData("zero", "JwtBearerGrantOptions.ClientAssertion.Lifetime must be positive")]
    [InlineData("audience", "JwtBearerGrantOptions.ClientAssertion.Audience is empty")]
    [InlineData("profile", "JwtBearerGrantOptions.ClientAssertion.ProfileName names profile 'missing', which is not a valid ScopeClaims profile")]
    [InlineData("hmac", "JwtBearerGrantOptions.ClientAssertion.ProfileName names profile 'hmac', whose signing key is an HMAC key")]
    public async Task Options_BadPrivateKeyJwtSettings_FailValidationNamingTheOption(string problem, string expected)
    {
        await using var partner = await FakePartners.StartAsync(o => o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt);
        await using var provider = BuildJwtBearer(partner, o =>
        {
            switch (problem)
            {
                case "secret": o.ClientSecret = "s3cret"; break;
                case "lifetime": o.ClientAssertion.Lifetime = TimeSpan.FromMinutes(6); break;
                case "zero": o.ClientAssertion.Lifetime = TimeSpan.Zero; break;
                case "audience": o.ClientAssertion.Audience = " "; break;
                case "profile": o.ClientAssertion.ProfileName = "missing"; break;
                case "hmac": o.ClientAssertion.ProfileName = "hmac"; break;
            }
        }, services: s => s.AddScopeTokens("hmac", ScopeFormat.Array, o =>
        {
            o.Issuer = FakePartners.ClientId;
            o.Audiences.Add("https://partner.example");
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.HmacSha256, "hmac-key"));
        }));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get(FakePartners.Name));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Empty(partner.TokenRequests);
    }
}
