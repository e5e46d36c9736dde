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
        var metrics = new List<MetricSnapshot>();
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
#if NET9_0_OR_GREATER
        // The duration histograms advise buckets in seconds (10 µs to 1 s), which the SDK uses.
        var duration = Assert.Single(metrics, m => m.Name == "scopeclaims.conversion.duration");
        var bounds = new List<double>();
        foreach (var bucket in duration.MetricPoints[0].GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal(new[] { 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, double.PositiveInfinity }, bounds);
#endif
    }
}
