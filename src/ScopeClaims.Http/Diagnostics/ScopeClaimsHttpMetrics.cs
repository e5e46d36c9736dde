using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScopeClaims.Internal;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// The instruments of the <c>ScopeClaims.Http</c> meter, one instance per service provider, its meter made by the host's
/// <see cref="IMeterFactory"/> (or a plain one when the host has none); and the package's activity source.
/// </summary>
/// <remarks>
/// Tags are client names (the names given to <c>AddHttpClient</c>), results, RFC 6749 §5.2 error codes from a fixed
/// list (any other code is <c>other</c>) and exception type names; never a client id, a secret, a token, a scope or a URL.
/// </remarks>
internal sealed class ScopeClaimsHttpMetrics
{
    public const string MeterName = "ScopeClaims.Http";

    public const string Client = "scopeclaims.client";
    public const string OAuthError = "scopeclaims.oauth_error";
    public const string CacheResult = "scopeclaims.cache.result";

    public static readonly ActivitySource Source = TelemetryNames.CreateSource(MeterName);

    public ScopeClaimsHttpMetrics(IMeterFactory? meterFactory)
    {
        Meter = TelemetryNames.CreateMeter(meterFactory, MeterName);
        TokenRequests = Meter.CreateCounter<long>("scopeclaims.http.token_requests", "{request}", "Token requests to a partner's token endpoint, by client, result and RFC 6749 error code.");
        TokenRequestDuration = TelemetryNames.CreateDuration(Meter, "scopeclaims.http.token_request.duration", "Time taken by a token request to a partner's token endpoint, by client and result.", TelemetryNames.NetworkBuckets);
        CacheLookups = Meter.CreateCounter<long>("scopeclaims.http.token_cache.lookups", "{lookup}", "Partner token lookups, by client and cache result: hit (a cached token) or miss (a token request was made).");
        UnauthorizedRetries = Meter.CreateCounter<long>("scopeclaims.http.unauthorized_retries", "{retry}", "Requests retried with a fresh partner token after the partner's API answered 401, by client.");
    }

    public Meter Meter { get; }

    public Counter<long> TokenRequests { get; }

    public Histogram<double> TokenRequestDuration { get; }

    public Counter<long> CacheLookups { get; }

    public Counter<long> UnauthorizedRetries { get; }

    /// <summary>The tag value of a token endpoint's error code: the codes RFC 6749 §5.2 and its extensions define, else <c>other</c> (a partner's own code is unbounded).</summary>
    public static string ErrorCodeTag(string code) => code switch
    {
        "invalid_request" or "invalid_client" or "invalid_grant" or "unauthorized_client" or "unsupported_grant_type"
            or "invalid_scope" or "invalid_target" or "temporarily_unavailable" or "server_error" or "invalid_dpop_proof"
            or "use_dpop_nonce" or "access_denied" => code,
        _ => "other",
    };
}
