using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace ScopeClaims.Internal;

/// <summary>
/// The instruments of the <c>ScopeClaims</c> meter. One instance per service provider, its meter made by the host's
/// <see cref="IMeterFactory"/>; an issuer or converter made without dependency injection uses <see cref="Shared"/>.
/// </summary>
/// <remarks>
/// Every tag value comes from a bounded set: profile and converter names, configured inbound issuers, JWS algorithm
/// names, enum values, exception type names. A subject, a token, a scope value or an exception message is never a tag.
/// Callers check <see cref="Instrument.Enabled"/> before building tags, so nothing is spent when nobody listens.
/// Other ScopeClaims packages follow the same pattern with a meter named after the package.
/// </remarks>
internal sealed class ScopeClaimsMetrics
{
    public const string MeterName = "ScopeClaims";

    private static readonly Lazy<ScopeClaimsMetrics> s_shared = new(static () => new ScopeClaimsMetrics(null));

    public ScopeClaimsMetrics(IMeterFactory? meterFactory)
    {
        Meter = TelemetryNames.CreateMeter(meterFactory, MeterName);
        TokensIssued = Meter.CreateCounter<long>("scopeclaims.token.issued", "{token}", "Tokens issued, by profile, algorithm and scope format.");
        IssueDuration = TelemetryNames.CreateDuration(Meter, "scopeclaims.token.issue.duration", "Time taken to issue a token, refused requests included (error.type set).", TelemetryNames.InProcessBuckets);
        Conversions = Meter.CreateCounter<long>("scopeclaims.conversion.count", "{conversion}", "Token conversions, by converter, result and refusal reason.");
        ConversionDuration = TelemetryNames.CreateDuration(Meter, "scopeclaims.conversion.duration", "Time taken to convert a token, metadata fetches included.", TelemetryNames.InProcessBuckets);
        MetadataRefreshes = Meter.CreateCounter<long>("scopeclaims.inbound_metadata.refreshes", "{refresh}", "Fetches of an inbound issuer's OpenID Connect metadata and JWKS, by inbound issuer and result.");
    }

    /// <summary>Gets the instruments for issuers and converters made without dependency injection.</summary>
    public static ScopeClaimsMetrics Shared => s_shared.Value;

    public Meter Meter { get; }

    public Counter<long> TokensIssued { get; }

    public Histogram<double> IssueDuration { get; }

    public Counter<long> Conversions { get; }

    public Histogram<double> ConversionDuration { get; }

    public Counter<long> MetadataRefreshes { get; }

    /// <summary>
    /// Reports, for each key that came from a certificate, the days left until the certificate expires (negative once it
    /// has). Made by the issuer factory, which knows the profiles; one gauge per meter.
    /// </summary>
    public void ObserveCertificateExpiry(Func<IEnumerable<Measurement<double>>> observe)
    {
        lock (Meter)
        {
            if (!_expiryObserved)
            {
                Meter.CreateObservableGauge("scopeclaims.signing_key.time_until_expiry", observe, "d", "Days until the certificate of a signing key expires, by profile and key id (negative once expired).");
                _expiryObserved = true;
            }
        }
    }

    private bool _expiryObserved;
}
