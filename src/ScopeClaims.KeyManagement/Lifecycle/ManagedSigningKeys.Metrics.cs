using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using ScopeClaims.Internal;

namespace ScopeClaims.KeyManagement.Internal;

/// <content>The <c>ScopeClaims.KeyManagement</c> meter: what an operator watches of the key lifecycle.</content>
internal sealed partial class ManagedSigningKeys
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ScopeClaims.KeyManagement";

    private readonly KeyMetrics _metrics;

    /// <summary>How long the key signing now has existed (since it was created), or <see langword="null"/> when no loaded key signs now.</summary>
    internal TimeSpan? ActiveKeyAge()
    {
        lock (_gate)
        {
            if (_set is null || _disposed)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            TokenSigningKey active;
            try
            {
                active = _set.GetSigningKey(now);
            }
            catch (SigningKeyUnavailableException)
            {
                return null;
            }

            var entry = _loaded.Values.Select(static l => l.Key).FirstOrDefault(k => string.Equals(k.Key.KeyId, active.KeyId, StringComparison.Ordinal));
            return entry is null ? null : now - entry.Created;
        }
    }

    /// <summary>The instruments; tags are the algorithm only, never a kid's key material, a store path or a secret.</summary>
    private sealed class KeyMetrics : IDisposable
    {
        private readonly Meter _meter;
        private readonly bool _ownsMeter;

        public KeyMetrics(ManagedSigningKeys keys, IMeterFactory? meterFactory)
        {
            _meter = TelemetryNames.CreateMeter(meterFactory, MeterName);
            _ownsMeter = meterFactory is null;
            Created = _meter.CreateCounter<long>("scopeclaims.keys.created", "{key}", "Managed signing keys this host generated and stored: one per rotation across a fleet, by algorithm.");
            Removed = _meter.CreateCounter<long>("scopeclaims.keys.removed", "{key}", "Retired managed keys this host deleted from the store after their retention time.");
            StoreFailures = _meter.CreateCounter<long>("scopeclaims.keys.store_failures", "{failure}", "Reads or writes of the key store that failed; signing goes on with the keys already loaded.");
            _meter.CreateObservableGauge("scopeclaims.keys.active_key.age", () => Measure(keys), "s", "How long the managed key that signs now has existed; absent when no loaded key can sign.");
        }

        public Counter<long> Created { get; }

        public Counter<long> Removed { get; }

        public Counter<long> StoreFailures { get; }

        public void Dispose()
        {
            if (_ownsMeter)
            {
                _meter.Dispose();
            }
        }

        private static IEnumerable<Measurement<double>> Measure(ManagedSigningKeys keys) =>
            keys.ActiveKeyAge() is { } age ? [new Measurement<double>(age.TotalSeconds)] : [];
    }
}
