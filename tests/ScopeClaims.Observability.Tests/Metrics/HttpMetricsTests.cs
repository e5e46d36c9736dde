using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Observability.Tests.Infrastructure;

namespace ScopeClaims.Observability.Tests.Metrics;

public class HttpMetricsTests
{
    [Fact]
    public async Task PartnerCalls_CountTokenRequestsCacheLookupsAndRetriesByClient()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner, services: s => s.AddMetrics());
        using var requests = Collect<long>(provider, "scopeclaims.http.token_requests");
        using var duration = Collect<double>(provider, "scopeclaims.http.token_request.duration");
        using var lookups = Collect<long>(provider, "scopeclaims.http.token_cache.lookups");
        using var retries = Collect<long>(provider, "scopeclaims.http.unauthorized_retries");
        var client = provider.Client();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync("appointments");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        partner.RevokeIssuedTokens();
        using (var retried = await client.GetAsync("appointments"))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }

        Assert.Equal(2, partner.TokenRequests);
        var request = requests.GetMeasurementSnapshot();
        Assert.Equal(2, request.Sum(m => m.Value));
        Assert.All(request, m => Assert.Equal(("partner", "success"), (m.Tag("scopeclaims.client"), m.Tag("scopeclaims.result"))));
        Assert.Equal(2, duration.GetMeasurementSnapshot().Count);

        // Four requests and the retry's lookup: the first and the retry's fetched, the other three used the cached token.
        var byResult = lookups.GetMeasurementSnapshot().GroupBy(m => m.Tag("scopeclaims.cache.result")).ToDictionary(g => g.Key!, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, long> { ["miss"] = 2, ["hit"] = 3 }, byResult);
        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal(("partner", 1L), (retry.Tag("scopeclaims.client"), retry.Value));
    }

    [Theory]
    [InlineData(400, """{"error":"invalid_grant","error_description":"no"}""", "error", "invalid_grant")]
    [InlineData(400, """{"error":"partner_specific_thing"}""", "error", "other")]
    [InlineData(500, "oops", "invalid_response", null)]
    public async Task TokenRequest_Refused_CountedWithResultAndBoundedErrorCode(int status, string body, string result, string? code)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (status, "application/json", body);
        await using var provider = GrantClient.Build(partner, services: s => s.AddMetrics());
        using var requests = Collect<long>(provider, "scopeclaims.http.token_requests");

        await Assert.ThrowsAnyAsync<ScopeClaims.Http.JwtBearerGrantException>(() => provider.Client().GetAsync("appointments"));

        var counted = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal(("partner", result, code), (counted.Tag("scopeclaims.client"), counted.Tag("scopeclaims.result"), counted.Tag("scopeclaims.oauth_error")));
    }

    [Fact]
    public async Task TokenRequest_PartnerUnreachable_CountedAsUnavailable()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var endpoint = partner.TokenEndpoint;
        await partner.DisposeAsync();
        await using var provider = GrantClient.Build(partner, o => o.TokenEndpoint = endpoint, s => s.AddMetrics());
        using var requests = Collect<long>(provider, "scopeclaims.http.token_requests");

        await Assert.ThrowsAsync<ScopeClaims.Http.TokenEndpointUnavailableException>(() => provider.Client().GetAsync("appointments"));

        Assert.Equal("unavailable", Assert.Single(requests.GetMeasurementSnapshot()).Tag("scopeclaims.result"));
    }

    private static MetricCollector<T> Collect<T>(IServiceProvider provider, string instrument)
        where T : struct => new(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "ScopeClaims.Http", instrument);
}
