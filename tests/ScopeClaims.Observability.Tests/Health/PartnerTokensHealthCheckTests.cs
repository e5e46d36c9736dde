using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using ScopeClaims.Http;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Observability.Tests.Health;

public class PartnerTokensHealthCheckTests
{
    private const string Check = "scopeclaims_partner_tokens";

    [Fact]
    public async Task PartnerAnswering500_NoTokenHeld_Unhealthy()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (500, "text/plain", "down");
        await using var provider = GrantClient.Build(partner, services: s => s.AddHealthChecks().AddScopeClaimsPartnerTokens());
        var health = provider.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries[Check].Status);

        await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("appointments"));

        var entry = (await health.CheckHealthAsync()).Entries[Check];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("'partner'", entry.Description);
        Assert.Equal(nameof(InvalidTokenResponseException), entry.Data["partner:last_error"]);
    }

    [Fact]
    public async Task RefreshFailsWhileTheTokenIsValid_DegradedThenUnhealthyOnceItExpires()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var provider = GrantClient.Build(partner, o => o.RefreshBeforeExpiry = TimeSpan.FromMinutes(5), s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddHealthChecks().AddScopeClaimsPartnerTokens();
        });
        var health = provider.GetRequiredService<HealthCheckService>();
        using (var ok = await provider.Client().GetAsync("appointments"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries[Check].Status);

        // Inside the refresh window: the token is refreshed on the next request, and the partner now answers 500.
        time.Advance(TimeSpan.FromSeconds(3600 - 120));
        partner.CannedTokenResponse = (500, "text/plain", "down");
        await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("appointments"));
        var degraded = (await health.CheckHealthAsync()).Entries[Check];
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.True(degraded.Data.ContainsKey("partner:token_expires"));

        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Entries[Check].Status);
    }
}
