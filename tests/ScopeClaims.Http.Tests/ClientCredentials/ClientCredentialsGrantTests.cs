using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Testing.Partner;

namespace ScopeClaims.Http.Tests.ClientCredentials;

/// <summary>The client-credentials grant (RFC 6749 §4.4) against the strict fake partner: each client authentication method, and what it shares with the JWT-bearer grant.</summary>
public class ClientCredentialsGrantTests
{
    public static TheoryData<ClientAuthenticationMethod> Methods => new()
    {
        ClientAuthenticationMethod.ClientSecretBasic,
        ClientAuthenticationMethod.ClientSecretPost,
        ClientAuthenticationMethod.PrivateKeyJwt,
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_EachClientAuthentication_GetsATokenThePartnerAccepts(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(method);
        await using var provider = FakePartners.BuildClientCredentials(partner, method, o =>
        {
            o.Resource = new Uri("https://api.billing.example/");
            o.Audience = "billing-api";
        });

        using var first = await provider.Client().GetAsync("invoices");
        using var second = await provider.Client().GetAsync("invoices");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var request = Assert.Single(partner.TokenRequests);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal("client_credentials", request.GrantType);
        Assert.Equal("invoices:read invoices:write", request.Form["scope"]);
        Assert.Equal("https://api.billing.example/", request.Form["resource"]);
        Assert.Equal("billing-api", request.Form["audience"]);
        Assert.Null(request.Assertion);
        Assert.Equal(method == ClientAuthenticationMethod.ClientSecretBasic, request.Authorization is not null);
        Assert.Equal(method == ClientAuthenticationMethod.ClientSecretPost, request.Form.ContainsKey("client_secret"));
        Assert.Equal(method == ClientAuthenticationMethod.PrivateKeyJwt, request.ClientAssertion is not null);
        Assert.All(partner.ApiRequests, static r => Assert.True(r.Accepted));
    }

    [Fact]
    public async Task GetAsync_PrivateKeyJwtWithTheServersIssuerAsAudience_IsAccepted()
    {
        const string Issuer = "https://login.billing.example";
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.PrivateKeyJwt, o => o.Audience = Issuer);
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.PrivateKeyJwt, o => o.ClientAssertion.Audience = Issuer);

        using var response = await provider.Client().GetAsync("invoices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await FakePartners.ValidateClientAssertionAsync(Assert.Single(partner.TokenRequests).ClientAssertion!, Issuer);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_1000ConcurrentFirstCalls_MakeExactlyOneTokenRequest(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(method);
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromMilliseconds(200))); // callers pile up behind the one fetch
        await using var provider = FakePartners.BuildClientCredentials(partner, method, services: s => s.AddHttpClient(FakePartners.Name)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 32 }));

        var statuses = await Concurrency.GetAllAtOnceAsync(provider.Client(), 1000);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Single(partner.TokenRequests);
        Assert.Equal(1000, partner.ApiRequests.Count);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_ApiAnswers401_FetchesAFreshTokenAndRetriesOnce(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(method);
        await using var provider = FakePartners.BuildClientCredentials(partner, method);
        (await provider.Client().GetAsync("a")).Dispose();
        partner.RevokeIssuedTokens();

        using var response = await provider.Client().PostAsync("b", new StringContent("body", Encoding.UTF8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.IssuedTokens.Count);
        Assert.Equal(3, partner.ApiRequests.Count);
        Assert.False(partner.ApiRequests[1].Accepted);
        Assert.True(partner.ApiRequests[2].Accepted);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_BadServerInput_KeepsItsTypedExceptionAndCachesNothing(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(method);
        await using var provider = FakePartners.BuildClientCredentials(partner, method, o => o.TokenRequestTimeout = TimeSpan.FromMilliseconds(300));

        await BadServerInput.AssertEachTypedAndNothingCachedAsync(partner, () => provider.Client().GetAsync("a"), "invalid_client",
            """{"access_token":"a","access_token":"b","token_type":"Bearer"}""");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Logs_AtEveryLevel_NeverContainTokensSecretsOrClientAssertions(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(method);
        var logs = new LogSink();
        await using var provider = FakePartners.BuildClientCredentials(partner, method, services: s =>
        {
            // The host asks IHttpClientFactory to log every header value in clear; the token client stays redacted.
            s.AddHttpClient(FakePartners.Name).RedactLoggedHeaders(_ => false);
            s.AddHttpClient(JwtBearerGrantOptions.DefaultTokenClientName).RedactLoggedHeaders(_ => false);
        }, logs: logs);
        var client = provider.Client();

        (await client.GetAsync("a")).Dispose();
        partner.RevokeIssuedTokens();
        (await client.GetAsync("b")).Dispose();                   // 401, retry with a fresh token
        partner.RevokeIssuedTokens();
        partner.FailNextTokenRequests(FakePartnerFailure.Error("invalid_client", "refused"));
        await Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsync("c"));

        var ours = logs.Entries.Where(e => e.Category == "ScopeClaims.Http.JwtBearerGrant").ToList();
        Assert.Contains(ours, e => e.Id.Name == "RequestingToken");
        Assert.Contains(ours, e => e.Id.Name == "RetryingAfterUnauthorized");
        Assert.Contains(ours, e => e.Id.Name == "TokenEndpointError");
        var secrets = partner.IssuedTokens.Concat(partner.TokenRequests.Select(r => r.ClientAssertion).OfType<string>())
            .Concat(partner.TokenRequests.Select(r => r.Authorization).OfType<string>()).Append(FakePartners.Secret).ToList();
        Assert.True(secrets.Count >= 3);
        foreach (var entry in logs.Entries)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, entry.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task GetAsync_DifferentResource_GetsItsOwnToken()
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.ClientSecretPost);
        await using var one = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.ClientSecretPost, o => o.Resource = new Uri("https://one.example/"));
        await using var two = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.ClientSecretPost, o => o.Resource = new Uri("https://two.example/"),
            services: s => s.AddSingleton(one.GetRequiredService<Microsoft.Extensions.Caching.Hybrid.HybridCache>()));

        (await one.Client().GetAsync("a")).Dispose();
        (await two.Client().GetAsync("a")).Dispose();
        (await two.Client().GetAsync("a")).Dispose();

        Assert.Equal(2, partner.TokenRequests.Count);
    }
}
