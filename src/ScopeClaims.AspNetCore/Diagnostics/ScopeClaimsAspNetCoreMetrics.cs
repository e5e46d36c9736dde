using System;
using System.Diagnostics.Metrics;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// The instruments of the <c>ScopeClaims.AspNetCore</c> meter: one instance per service provider, its meter made by the
/// host's <see cref="IMeterFactory"/>; a requirement evaluated where none is registered uses <see cref="Shared"/>.
/// </summary>
/// <remarks>Tags are scheme names, requirement kinds and enum values; never a scope, a subject or a token.</remarks>
internal sealed class ScopeClaimsAspNetCoreMetrics
{
    public const string MeterName = "ScopeClaims.AspNetCore";

    private static readonly Lazy<ScopeClaimsAspNetCoreMetrics> s_shared = new(static () => new ScopeClaimsAspNetCoreMetrics(null));

    public ScopeClaimsAspNetCoreMetrics(IMeterFactory? meterFactory)
    {
        Meter = TelemetryNames.CreateMeter(meterFactory, MeterName);
        NormalizationRefusals = Meter.CreateCounter<long>("scopeclaims.aspnetcore.scope_normalization.refusals", "{token}", "Validated bearer tokens whose scope claims were refused, by authentication scheme and reason.");
        AuthorizationFailures = Meter.CreateCounter<long>("scopeclaims.aspnetcore.authorization.failures", "{requirement}", "Scope requirements not satisfied, by requirement kind, match and reason.");
    }

    public static ScopeClaimsAspNetCoreMetrics Shared => s_shared.Value;

    public Meter Meter { get; }

    public Counter<long> NormalizationRefusals { get; }

    public Counter<long> AuthorizationFailures { get; }
}
