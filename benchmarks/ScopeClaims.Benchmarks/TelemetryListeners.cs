using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// With <c>--listen</c> first on the command line, an OpenTelemetry MeterProvider and TracerProvider listen to every
/// ScopeClaims meter and activity source for the whole run, as in a service that exports them: metrics aggregated and
/// exported every 60 s (to memory), every span sampled and handed to an exporter (that drops it).
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --listen --interleaved IssueBenchmarks ES256 300
/// </summary>
internal static class TelemetryListeners
{
    public static IDisposable Start()
    {
        var meters = Sdk.CreateMeterProviderBuilder().AddMeter("ScopeClaims*").AddInMemoryExporter(new List<Metric>()).Build();
        var tracers = Sdk.CreateTracerProviderBuilder().AddSource("ScopeClaims*").SetSampler(new AlwaysOnSampler())
            .AddProcessor(new SimpleActivityExportProcessor(new DroppingExporter())).Build();
        return new Both(meters, tracers);
    }

    private sealed class DroppingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }

    private sealed class Both(MeterProvider meters, TracerProvider tracers) : IDisposable
    {
        public void Dispose()
        {
            meters.Dispose();
            tracers.Dispose();
        }
    }
}
