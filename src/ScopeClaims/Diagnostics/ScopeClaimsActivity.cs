using System.Diagnostics;

namespace ScopeClaims.Internal;

/// <summary>The <c>ScopeClaims</c> activity source: a span per conversion, and per inbound metadata fetch.</summary>
internal static class ScopeClaimsActivity
{
    public static readonly ActivitySource Source = TelemetryNames.CreateSource(ScopeClaimsMetrics.MeterName);
}
