using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ScopeClaims.Observability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Observability.Tests.Health;

public class ScopeClaimsHealthCheckTests
{
    [Fact]
    public async Task SigningKeys_CertificateNearingExpiry_HealthyThenDegradedThenUnhealthy()
    {
        var start = DateTimeOffset.UtcNow;
        var key = CertificateKey(start.AddDays(30), "cert-1");
        var time = new FakeTimeProvider(start);
        using var host = Host(time, key);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var fresh = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, fresh.Entries["scopeclaims_signing_keys"].Status);

        time.Advance(TimeSpan.FromDays(20));
        var soon = (await health.CheckHealthAsync()).Entries["scopeclaims_signing_keys"];
        Assert.Equal(HealthStatus.Degraded, soon.Status);
        Assert.Contains("'cert-1'", soon.Description);
        Assert.Contains("rotate", soon.Description);
        Assert.Equal("cert-1", soon.Data[":active_key_id"]);

        time.Advance(TimeSpan.FromDays(11));
        var expired = (await health.CheckHealthAsync()).Entries["scopeclaims_signing_keys"];
        Assert.Equal(HealthStatus.Unhealthy, expired.Status);
        Assert.Contains("expired", expired.Description);
        AssertNoKeyMaterial(expired, key);
    }

    [Fact]
    public async Task SigningKeys_ConfiguredWarningWindow_IsUsed()
    {
        var start = DateTimeOffset.UtcNow;
        var key = CertificateKey(start.AddDays(30), "cert-2");
        using var host = Host(new FakeTimeProvider(start), key, o => o.CertificateExpiryWarning = TimeSpan.FromDays(45));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Entries["scopeclaims_signing_keys"].Status);
    }

    [Fact]
    public async Task SigningKeys_Gauge_ReportsTheDaysLeftOnTheManualClock()
    {
        var start = DateTimeOffset.UtcNow;
        var key = CertificateKey(start.AddDays(30), "cert-3");
        var time = new FakeTimeProvider(start);
        using var host = Host(time, key);
        using var gauge = host.Collect<double>("ScopeClaims", "scopeclaims.signing_key.time_until_expiry");
        host.Services.GetRequiredService<IScopeTokenIssuer>();

        time.Advance(TimeSpan.FromDays(20));
        gauge.RecordObservableInstruments();

        var measured = Assert.Single(gauge.GetMeasurementSnapshot());
        Assert.Equal(("", "cert-3"), (measured.Tag("scopeclaims.profile"), measured.Tag("scopeclaims.key_id")));
        Assert.Equal((key.CertificateNotAfter!.Value - time.GetUtcNow()).TotalDays, measured.Value, 6);
        Assert.InRange(measured.Value, 9.9, 10.1);
    }

    [Fact]
    public async Task SigningKeys_CertificatePathInConfiguration_ReportsTheFilesExpiry()
    {
        var start = DateTimeOffset.UtcNow;
        var directory = Directory.CreateTempSubdirectory("scopeclaims-obs-");
        try
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=scopeclaims-test", ec, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(start.AddDays(-1), start.AddDays(10));
            var certificatePath = Path.Combine(directory.FullName, "signing.crt");
            var keyPath = Path.Combine(directory.FullName, "signing.key");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, ec.ExportPkcs8PrivateKeyPem());
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(start));
            builder.Services.AddArrayScopeTokens("file", o =>
            {
                o.Issuer = Hosts.OurIssuer;
                o.Audiences.Add("https://partner.test");
                o.SigningKey.CertificatePath = certificatePath;
                o.SigningKey.CertificateKeyPath = keyPath;
                o.SigningKey.KeyId = "from-file";
            });
            builder.Services.AddHealthChecks().AddScopeClaims();
            using var host = builder.Build();

            var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["scopeclaims_signing_keys"];

            Assert.Equal(HealthStatus.Degraded, entry.Status);
            Assert.Contains("profile 'file'", entry.Description);
            Assert.Contains("'from-file'", entry.Description);
            Assert.Equal(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToString("O"), entry.Data["file:from-file:certificate_not_after"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task InboundIssuers_AuthorityUp_HealthyFromTheCachedFetch()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        using var host = Hosts.Converting(authority, s => s.AddHealthChecks().AddScopeClaims());
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var first = (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"];
        var second = (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"];

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(HealthStatus.Healthy, second.Status);
        Assert.Equal(1, first.Data[authority.Issuer + ":keys"]);
        Assert.Equal(1, authority.DiscoveryRequests);
    }

    [Fact]
    public async Task InboundIssuers_AuthorityUnreachable_UnhealthyNamingTheIssuer()
    {
        var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        await authority.DisposeAsync();
        using var host = Hosts.Converting(authority, s => s.AddHealthChecks().AddScopeClaims());
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var entry = (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains(authority.Issuer, entry.Description);
        Assert.True(entry.Data.ContainsKey(authority.Issuer + ":last_error"));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["scopeclaims_signing_keys"].Status);
    }

    [Fact]
    public async Task InboundIssuers_AuthorityAnswering500_UnhealthyAndAskedOncePerRetryInterval()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        authority.Mode = LoopbackAuthority.Behavior.ServerError;
        using var host = Hosts.Converting(authority, s => s.AddHealthChecks().AddScopeClaims());
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var first = (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"];
        var requests = authority.DiscoveryRequests;
        var second = (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"];

        Assert.Equal(HealthStatus.Unhealthy, first.Status);
        Assert.Equal(HealthStatus.Unhealthy, second.Status);
        Assert.True(requests >= 1);
        Assert.Equal(requests, authority.DiscoveryRequests);
    }

    [Fact]
    public async Task InboundIssuers_RefreshFailsAfterAGoodFetch_DegradedNamingWhenKeysWereFetched()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = Hosts.OurIssuer;
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(Hosts.OurKey);
        });
        builder.Services.AddScopeTokenConverter(o => o.Issuers.Add(authority.Inbound(refresh: TimeSpan.FromSeconds(1))));
        builder.Services.AddHealthChecks().AddScopeClaims();
        using var host = builder.Build();
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await converter.ConvertAsync(authority.Token("read:a"));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"].Status);

        // The authority fails; past the refresh interval a token naming a key the converter does not know makes the
        // configuration manager refresh (in the background, keeping the keys it has), and the failed refresh is what
        // the probe then reports.
        authority.Mode = LoopbackAuthority.Behavior.ServerError;
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var unknownKey = TokenSigningKey.Generate("ES256", "idp-2");
        HealthReportEntry entry = default;
        for (var attempt = 0; attempt < 50 && entry.Status != HealthStatus.Degraded; attempt++)
        {
            await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(authority.Token("read:a", unknownKey)));
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            entry = (await health.CheckHealthAsync()).Entries["scopeclaims_inbound_issuers"];
        }

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("still used", entry.Description);
        Assert.True(entry.Data.ContainsKey(authority.Issuer + ":last_success"));
    }

    private static IHost Host(TimeProvider time, TokenSigningKey key, Action<ScopeClaims.AspNetCore.ScopeClaimsHealthCheckOptions>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(time);
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = Hosts.OurIssuer;
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(key);
        });
        builder.Services.AddHealthChecks().AddScopeClaims(configure);
        return builder.Build();
    }

    /// <summary>A key from a self-signed certificate valid from yesterday until <paramref name="notAfter"/>.</summary>
    private static TokenSigningKey CertificateKey(DateTimeOffset notAfter, string keyId)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=scopeclaims-test", ec, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), notAfter);
        return TokenSigningKey.FromCertificate(certificate, keyId: keyId);
    }

    private static void AssertNoKeyMaterial(HealthReportEntry entry, TokenSigningKey key)
    {
        var jwk = System.Text.Json.JsonDocument.Parse(key.ExportPrivateJwk()).RootElement;
        var text = entry.Description + string.Join(" ", entry.Data.Select(d => d.Key + "=" + d.Value));
        foreach (var parameter in new[] { "d", "x", "y" })
        {
            Assert.DoesNotContain(jwk.GetProperty(parameter).GetString()!, text, StringComparison.Ordinal);
        }
    }
}
