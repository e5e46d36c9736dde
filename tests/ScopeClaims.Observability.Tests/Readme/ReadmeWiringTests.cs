// The root README's Observability sample, compiled and run: the README check of tests/ScopeClaims.Tests finds its
// lines here verbatim.
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScopeClaims.Observability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Observability.Tests.Readme;

public class ReadmeWiringTests
{
    [Fact]
    public async Task ReadmeWiring_ExportsTheMetersSpansAndHealthChecks()
    {
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = Hosts.OurIssuer;
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(Hosts.OurKey);
        });
        builder.Services.AddScopeTokenConverter(o => o.Issuers.Add(SourceTokens.Inbound("RS256")));
        // Note: the README's lines, at the README's indentation.
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter("ScopeClaims*"))
    .WithTracing(tracing => tracing.AddSource("ScopeClaims*").AddHttpClientInstrumentation());
builder.Services.AddHealthChecks()
    .AddScopeClaims(o => o.CertificateExpiryWarning = TimeSpan.FromDays(21))
    .AddScopeClaimsPartnerTokens();
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        await using var app = builder.Build();
        await app.StartAsync();

        var source = SourceTokens.Build("read:a");
        var converted = await app.Services.GetRequiredService<IScopeTokenConverter>().ConvertAsync(source);
        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        await app.StopAsync();

        // The converter re-issued through the default profile: one conversion, one token issued, in this host's meters.
        Assert.Contains(metrics, m => m.Name == "scopeclaims.conversion.count" && m.MeterName == "ScopeClaims");
        Assert.Contains(metrics, m => m.Name == "scopeclaims.token.issued");
        Assert.Contains(spans, s => s.OperationName == "scopeclaims.convert" && Equals(s.GetTagItem("scopeclaims.result"), "success"));
        Assert.NotEmpty(converted.Token);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(new[] { "scopeclaims_inbound_issuers", "scopeclaims_partner_tokens", "scopeclaims_signing_keys" }, health.Entries.Keys.Order());
    }
}
