using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

public class LoggingTests
{
    [Fact]
    public async Task Logs_AtEveryLevel_NeverContainTokensAssertionsOrSecrets()
    {
        const string Secret = "the-client-secret-value";
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.RequiredAuthentication = ClientAuthenticationMethod.ClientSecretPost;
        partner.ExpectedSecret = Secret;
        var logs = new LogSink();
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretPost;
            o.ClientSecret = Secret;
        }, services: s =>
        {
            // The host asks IHttpClientFactory to log every header value in clear; Authorization stays redacted.
            s.AddHttpClient(GrantClient.Name).RedactLoggedHeaders(_ => false);
            s.AddHttpClient(JwtBearerGrantOptions.DefaultTokenClientName).RedactLoggedHeaders(_ => false);
        }, logs: logs);
        var client = provider.Client();

        (await client.GetAsync("a?api_key=query-secret")).Dispose();       // fetch
        partner.RevokeIssuedTokens();
        (await client.GetAsync("b?api_key=query-secret")).Dispose();       // 401, retry with a fresh token
        partner.ApiRejectsEverything = true;
        (await client.GetAsync("c?api_key=query-secret")).Dispose();       // 401 twice
        partner.CannedTokenResponse = (400, "application/json", """{"error":"invalid_grant"}""");
        partner.ApiRejectsEverything = false;
        partner.RevokeIssuedTokens();
        await Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsync("d"));

        var ours = logs.Entries.Where(e => e.Category == "ScopeClaims.Http.JwtBearerGrant").ToList();
        Assert.Contains(ours, e => e.Id.Name == "RequestingToken");
        Assert.Contains(ours, e => e.Id.Name == "TokenReceived");
        Assert.Contains(ours, e => e.Id.Name == "RetryingAfterUnauthorized" && e.Level == LogLevel.Information);
        Assert.Contains(ours, e => e.Id.Name == "UnauthorizedAfterRetry" && e.Level == LogLevel.Warning);
        Assert.Contains(ours, e => e.Id.Name == "TokenEndpointError" && e.Text.Contains("invalid_grant", StringComparison.Ordinal));
        Assert.True(partner.Secrets.Count >= 6);
        Assert.Contains(logs.Entries, e => e.Text.Contains("Authorization: *", StringComparison.Ordinal));
        foreach (var entry in logs.Entries)
        {
            Assert.DoesNotContain(Secret, entry.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("query-secret", entry.Category == "ScopeClaims.Http.JwtBearerGrant" ? entry.Text : string.Empty, StringComparison.Ordinal);
            foreach (var secret in partner.Secrets)
            {
                Assert.DoesNotContain(secret, entry.Text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("partner-token-client")]
    public async Task Logs_TokenEndpointEchoesTheRequestInHeaders_NoHeaderValueOfTheTokenClientIsLogged(string? tokenClientName)
    {
        const string Secret = "the-echoed-client-secret";
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.RequiredAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
        partner.ExpectedSecret = Secret;
        partner.EchoRequestInHeaders = true;
        var logs = new LogSink();
        var tokenClient = tokenClientName ?? JwtBearerGrantOptions.DefaultTokenClientName;
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
            o.ClientSecret = Secret;
            o.TokenClientName = tokenClient;
        }, services: s => s.AddHttpClient(tokenClient).RedactLoggedHeaders(_ => false), logs: logs);
        var client = provider.Client();

        (await client.GetAsync("a")).Dispose();                               // 200, headers echo the request
        partner.CannedTokenResponse = (400, "application/json", """{"error":"invalid_grant"}""");
        partner.RevokeIssuedTokens();
        await Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsync("b")); // 401, fresh token refused

        Assert.Contains(logs.Entries, e => e.Category.Contains(tokenClient, StringComparison.Ordinal) && e.Text.Contains("X-Echo-Body: *", StringComparison.Ordinal));
        foreach (var entry in logs.Entries)
        {
            Assert.DoesNotContain(Secret, entry.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Basic ", entry.Text, StringComparison.Ordinal);
            foreach (var secret in partner.Secrets)
            {
                Assert.DoesNotContain(secret, entry.Text, StringComparison.Ordinal);
            }
        }
    }
}
