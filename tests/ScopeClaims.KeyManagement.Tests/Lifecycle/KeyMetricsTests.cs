using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScopeClaims.Tests.Shared;
using static ScopeClaims.KeyManagement.Tests.ManagedKeyHost;

namespace ScopeClaims.KeyManagement.Tests.Lifecycle;

/// <summary>The <c>ScopeClaims.KeyManagement</c> meter over one rotation on a test clock, read from the host's own meter factory.</summary>
public sealed class KeyMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public async Task Meter_OneRotation_CountsCreatedAndRemovedKeysAndReportsTheActiveKeysAge()
    {
        var time = new FakeTimeProvider(T0);
        using var host = Build(time, b => b.PersistKeysToFileSystem(_dirs.Store), _dirs.DataProtection);
        using var recorder = new HostMeterRecorder(host.Services.GetRequiredService<IMeterFactory>(), "ScopeClaims.KeyManagement");
        var measurements = recorder.Measurements;
        await host.StartAsync();
        var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();

        issuer.Issue(ScopeSet.Parse("read"));            // the first key, created and signing at once
        time.SetUtcNow(T0.AddDays(3));
        recorder.Observe();
        time.SetUtcNow(T0.AddDays(8));                     // the successor is announced
        issuer.Keys.ExportPublicJwks();
        time.SetUtcNow(T0.AddDays(13));                    // the first key's retention is over: deleted
        issuer.Keys.ExportPublicJwks();
        recorder.Observe();

        Assert.Equal(2, measurements.Count(static m => m.Instrument == "scopeclaims.keys.created" && m.Tag("scopeclaims.algorithm") == "ES256"));
        Assert.Equal(1, measurements.Count(static m => m.Instrument == "scopeclaims.keys.removed"));
        Assert.DoesNotContain(measurements, static m => m.Instrument == "scopeclaims.keys.store_failures");
        var ages = measurements.Where(static m => m.Instrument == "scopeclaims.keys.active_key.age").Select(static m => m.Value).ToArray();
        Assert.Equal([TimeSpan.FromDays(3).TotalSeconds, TimeSpan.FromDays(5).TotalSeconds], ages);
        await host.StopAsync();
    }

    [Fact]
    public async Task Meter_StoreGone_CountsTheFailureAndKeepsReportingTheLoadedKey()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        using var recorder = new HostMeterRecorder(host.Host.Services.GetRequiredService<IMeterFactory>(), "ScopeClaims.KeyManagement");
        var measurements = recorder.Measurements;
        host.Issuer_.Issue(ScopeSet.Parse("read"));

        Directory.Delete(_dirs.Store, recursive: true);
        File.WriteAllText(_dirs.Store, "not a directory");
        time.SetUtcNow(T0.AddDays(1));
        host.Manager.RefreshForUnknownKeyId("unknown-kid");
        recorder.Observe();

        Assert.Contains(measurements, static m => m.Instrument == "scopeclaims.keys.store_failures");
        Assert.Contains(measurements, static m => m.Instrument == "scopeclaims.keys.active_key.age" && m.Value == TimeSpan.FromDays(1).TotalSeconds);
    }
}
