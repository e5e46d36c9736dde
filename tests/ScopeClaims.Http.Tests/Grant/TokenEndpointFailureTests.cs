using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Http.Tests.Grant;

public class TokenEndpointFailureTests
{
    [Theory]
    [InlineData(400, "invalid_grant", "The assertion has expired.")]
    [InlineData(401, "invalid_client", "Unknown client.")]
    [InlineData(400, "invalid_scope", null)]
    [InlineData(200, "temporarily_unavailable", "Error object sent with 200.")]
    public async Task GetAsync_Rfc6749ErrorResponse_ThrowsWithItsFields(int status, string error, string? description)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var body = description is null ? $$"""{"error":"{{error}}"}""" : $$"""{"error":"{{error}}","error_description":"{{description}}","error_uri":"https://partner.example/errors"}""";
        partner.CannedTokenResponse = (status, "application/json", body);
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal(error, ex.Error);
        Assert.Equal(description, ex.ErrorDescription);
        Assert.Equal(description is null ? null : "https://partner.example/errors", ex.ErrorUri);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(partner.TokenEndpoint, ex.TokenEndpoint);
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, partner.ApiRequests);
    }

    [Fact]
    public async Task GetAsync_AssertionSignedWithAKeyThePartnerDoesNotHave_IsRefusedAsInvalidGrant()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var stranger = new SigningKeySet(TokenSigningKey.Generate("RS256", "client-key-1")); // same kid, other key
        await using var provider = GrantClient.Build(partner, services: s => s.Configure<ScopeTokenOptions>(Microsoft.Extensions.Options.Options.DefaultName, o => o.SigningKeys = stranger));

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal("invalid_grant", ex.Error);
        Assert.Contains("Signature", ex.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ProfileWritesScopeAsString_IsRefusedByAPartnerThatRequiresAnArray()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner, services: s => s.Configure<ScopeTokenOptions>(Microsoft.Extensions.Options.Options.DefaultName, o => o.Format = ScopeFormat.SpaceDelimited));

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal("scope must be a JSON array.", ex.ErrorDescription);
    }

    [Theory]
    [InlineData(200, "text/html", "<html><body>Sign in</body></html>", "not JSON")]
    [InlineData(200, "application/json", "", "empty")]
    [InlineData(200, "application/json", "[1,2]", "not a JSON object")]
    [InlineData(200, "application/json", """{"token_type":"Bearer","expires_in":3600}""", "access_token is missing")]
    [InlineData(200, "application/json", """{"access_token":42}""", "access_token is missing")]
    [InlineData(200, "application/json", """{"access_token":"a b"}""", "RFC 6750")]
    [InlineData(200, "application/json", """{"access_token":"abc","token_type":"DPoP"}""", "token_type is not Bearer")]
    [InlineData(200, "application/json", """{"access_token":"abc","token_type":"Bearer","expires_in":-5}""", "expires_in")]
    [InlineData(200, "application/json", """{"access_token":"abc","token_type":"Bearer","expires_in":"soon"}""", "expires_in")]
    [InlineData(200, "application/json", """{"access_token":"abc","token_type":"Bearer","expires_in":1e12}""", "expires_in")]
    [InlineData(200, "application/json", """{"access_token":"abc\uD800","token_type":"Bearer"}""", "not valid Unicode")]
    [InlineData(200, "application/json", """{"access_token":"abc","token_type":"\uDC00"}""", "not valid Unicode")]
    [InlineData(200, "application/json", """{"access_token":"abc","expires_in":"\uD800"}""", "not valid Unicode")]
    [InlineData(200, "application/json", """{"\uD800":1,"access_token":"abc"}""", "not valid Unicode")]
    [InlineData(400, "application/json", """{"error":"invalid_grant","error_description":"\uDC00"}""", "not valid Unicode")]
    [InlineData(500, "text/plain", "Internal Server Error", "not JSON")]
    [InlineData(502, "application/json", """{"message":"bad gateway"}""", "without an RFC 6749 §5.2 error object")]
    public async Task GetAsync_GarbageResponse_ThrowsInvalidTokenResponse(int status, string contentType, string body, string problem)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (status, contentType, body);
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("a"));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(0, partner.ApiRequests);
        if (body.Length > 0)
        {
            Assert.DoesNotContain(body, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_HugeResponse_IsRefusedUnread()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (200, "application/json", "{\"access_token\":\"" + new string('a', 100_000) + "\"}");
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("larger than 64 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_TokenEndpointTooSlow_ThrowsTimeout()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenDelay = TimeSpan.FromSeconds(30);
        await using var provider = GrantClient.Build(partner, o => o.TokenRequestTimeout = TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<TokenEndpointUnavailableException>(() => provider.Client().GetAsync("a"));

        Assert.True(ex.IsTimeout);
        Assert.Contains("did not answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
        Assert.Equal(0, partner.ApiRequests);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenDelay = TimeSpan.FromSeconds(30);
        await using var provider = GrantClient.Build(partner);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.Client().GetAsync("a", cancel.Token));
    }

    [Fact]
    public async Task GetAsync_TokenEndpointDown_ThrowsUnavailable()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var closed = LoopbackServer.ClosedPort();
        await using var provider = GrantClient.Build(partner, o => o.TokenEndpoint = new Uri($"http://127.0.0.1:{closed}/oauth2/token"));

        var ex = await Assert.ThrowsAsync<TokenEndpointUnavailableException>(() => provider.Client().GetAsync("a"));

        Assert.False(ex.IsTimeout);
        var network = Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, network.HttpRequestError);
        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_FailureThenRecovery_CachesNothingBad()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (503, "application/json", """{"error":"temporarily_unavailable"}""");
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();

        await Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsync("a"));
        partner.CannedTokenResponse = (200, "text/html", "<html/>");
        await Assert.ThrowsAsync<InvalidTokenResponseException>(() => client.GetAsync("a"));
        partner.CannedTokenResponse = null;
        using var response = await client.GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, partner.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_ConcurrentCallersDuringAFailure_AllSeeItAndTheNextCallFetchesAgain()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenDelay = TimeSpan.FromMilliseconds(200);
        partner.CannedTokenResponse = (400, "application/json", """{"error":"invalid_grant"}""");
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();

        var calls = Enumerable.Range(0, 50).Select(_ => Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsync("a"))).ToArray();
        await Task.WhenAll(calls);
        Assert.Equal(1, partner.TokenRequests); // the 50 waited on one fetch and all got its failure
        partner.CannedTokenResponse = null;
        using var response = await client.GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
    }
}
