using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ScopeClaims.Tests.Shared;

/// <summary>
/// Records the measurements of one meter of one host: the meter named <c>meterName</c> that the host's own
/// <see cref="IMeterFactory"/> made, never the same-named meters of the other hosts that tests run beside it.
/// </summary>
/// <remarks>Linked into each test project that reads a ScopeClaims meter without a dependency on a metrics test package.</remarks>
internal sealed class HostMeterRecorder : IDisposable
{
    private readonly MeterListener _listener;

    public HostMeterRecorder(IMeterFactory factory, string meterName)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measurements.Enqueue(new(instrument.Name, value, Copy(tags))));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measurements.Enqueue(new(instrument.Name, value, Copy(tags))));
        _listener.Start();
    }

    /// <summary>Every measurement so far, in order.</summary>
    public ConcurrentQueue<Measured> Measurements { get; } = new();

    /// <summary>Reads the observable instruments (gauges) now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private static Dictionary<string, object?> Copy(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        return copy;
    }

    /// <summary>One measurement: the instrument, the value and the tags.</summary>
    internal sealed record Measured(string Instrument, double Value, Dictionary<string, object?> Tags)
    {
        public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value as string : null;
    }
}
