using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ScopeClaims.Observability.Tests.Infrastructure;

/// <summary>
/// Listens to every instrument of every meter and every activity source whose name starts with "ScopeClaims", in the
/// whole process, and keeps each tag, attribute, event and status text they emit, as text.
/// </summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;

    public TelemetryRecorder()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("ScopeClaims", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument.Name, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument.Name, tags));
        _meters.Start();

        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("ScopeClaims", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                Values.Enqueue(("span " + activity.OperationName, activity.DisplayName));
                Values.Enqueue(("span status", activity.StatusDescription ?? string.Empty));
                foreach (var tag in activity.TagObjects)
                {
                    Values.Enqueue((tag.Key, tag.Value?.ToString() ?? string.Empty));
                }

                foreach (var e in activity.Events)
                {
                    Values.Enqueue(("event", e.Name));
                    foreach (var tag in e.Tags)
                    {
                        Values.Enqueue((tag.Key, tag.Value?.ToString() ?? string.Empty));
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    /// <summary>Every (tag name, value) emitted so far; the name of a span and its status text are recorded too.</summary>
    public ConcurrentQueue<(string Name, string Value)> Values { get; } = new();

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Record(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Values.Enqueue(("instrument", instrument));
        foreach (var tag in tags)
        {
            Values.Enqueue((tag.Key, tag.Value?.ToString() ?? string.Empty));
        }
    }
}
