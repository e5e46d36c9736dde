using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims.Observability.Tests.Infrastructure;

namespace ScopeClaims.Observability.Tests.Health;

public class RegistrationTests
{
    [Fact]
    public void AddScopeClaims_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ScopeClaimsHealthChecksBuilderExtensions.AddScopeClaims(null!));

    [Fact]
    public void AddScopeClaimsPartnerTokens_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => PartnerTokensHealthChecksBuilderExtensions.AddScopeClaimsPartnerTokens(null!));

    [Fact]
    public async Task GetInboundIssuersAsync_NullName_Throws()
    {
        using var host = Hosts.Converting();
        await Assert.ThrowsAsync<ArgumentNullException>(() => host.Services.GetRequiredService<ScopeClaimsStatus>().GetInboundIssuersAsync(null!, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void AddScopeClaims_CalledTwice_RegistersEachCheckOnce()
    {
        using var host = Hosts.Issuing(s => s.AddHealthChecks().AddScopeClaims().AddScopeClaims().AddScopeClaimsPartnerTokens().AddScopeClaimsPartnerTokens());

        var names = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();

        Assert.Equal(new[] { "scopeclaims_signing_keys", "scopeclaims_inbound_issuers", "scopeclaims_partner_tokens" }, names);
    }

    [Fact]
    public async Task AddScopeClaims_InvalidOptions_HostFailsOnStartNamingEach()
    {
        using var host = Hosts.Issuing(s => s.AddHealthChecks().AddScopeClaims(o =>
        {
            o.CertificateExpiryWarning = TimeSpan.FromDays(-1);
            o.MetadataRetryInterval = TimeSpan.Zero;
        }));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("CertificateExpiryWarning", ex.Message);
        Assert.Contains("MetadataRetryInterval", ex.Message);
    }

    [Fact]
    public async Task Checks_NothingRegistered_HealthySayingSo()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHealthChecks().AddScopeClaims().AddScopeClaimsPartnerTokens();
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("No token profile is registered.", report.Entries["scopeclaims_signing_keys"].Description);
        Assert.Equal("No token converter is registered.", report.Entries["scopeclaims_inbound_issuers"].Description);
        Assert.Equal("No HttpClient uses the JWT-bearer grant.", report.Entries["scopeclaims_partner_tokens"].Description);
    }
}
