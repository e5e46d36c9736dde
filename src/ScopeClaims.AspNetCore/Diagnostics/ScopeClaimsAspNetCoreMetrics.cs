using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// The instruments of the <c>ScopeClaims.AspNetCore</c> meter: one instance per service provider, its meter made by the
/// host's <see cref="IMeterFactory"/>; a requirement evaluated where none is registered uses <see cref="Shared"/>.
/// </summary>
/// <remarks>
/// Tags are scheme names, requirement kinds, enum values, the token-exchange endpoint's own error codes and client
/// authentication methods; never a scope, a subject, a client id or a token.
/// </remarks>
internal sealed class ScopeClaimsAspNetCoreMetrics
{
    public const string MeterName = "ScopeClaims.AspNetCore";

    public const string OAuthError = "scopeclaims.oauth_error";
    public const string ClientAuthentication = "scopeclaims.client_authentication";

    /// <summary>The package's activity source: a span per token-exchange request.</summary>
    public static readonly ActivitySource Source = TelemetryNames.CreateSource(MeterName);

    private static readonly Lazy<ScopeClaimsAspNetCoreMetrics> s_shared = new(static () => new ScopeClaimsAspNetCoreMetrics(null));

    public ScopeClaimsAspNetCoreMetrics(IMeterFactory? meterFactory)
    {
        Meter = TelemetryNames.CreateMeter(meterFactory, MeterName);
        NormalizationRefusals = Meter.CreateCounter<long>("scopeclaims.aspnetcore.scope_normalization.refusals", "{token}", "Validated bearer tokens whose scope claims were refused, by authentication scheme and reason.");
        AuthorizationFailures = Meter.CreateCounter<long>("scopeclaims.aspnetcore.authorization.failures", "{requirement}", "Scope requirements not satisfied, by requirement kind, match and reason.");
        TokenExchangeRequests = Meter.CreateCounter<long>("scopeclaims.aspnetcore.token_exchange.requests", "{request}", "Requests to the token-exchange endpoint, by result (issued, refused, aborted), RFC 6749 error code and client authentication method.");
        TokenExchangeDuration = TelemetryNames.CreateDuration(Meter, "scopeclaims.aspnetcore.token_exchange.duration", "Time taken by the token-exchange endpoint to answer, by result.", TelemetryNames.InProcessBuckets);
    }

    public static ScopeClaimsAspNetCoreMetrics Shared => s_shared.Value;

    public Meter Meter { get; }

    public Counter<long> NormalizationRefusals { get; }

    public Counter<long> AuthorizationFailures { get; }

    public Counter<long> TokenExchangeRequests { get; }

    public Histogram<double> TokenExchangeDuration { get; }
}
