using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ScopeClaims.Internal;

/// <summary>
/// Fetches an inbound issuer's metadata and JWKS through <see cref="StrictConfigurationRetriever"/>, and records each
/// fetch: a span, the <c>scopeclaims.inbound_metadata.refreshes</c> counter, and the outcome a health check reads.
/// </summary>
/// <remarks>
/// The configuration manager calls this only when it fetches (its first use, a refresh past its interval), so the
/// recorded outcome is the cached one a health check reports without a request of its own.
/// </remarks>
internal sealed class MeasuredConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private readonly string _converter;
    private readonly string _issuer;
    private readonly ScopeClaimsMetrics _metrics;
    private readonly TimeProvider _time;
    private volatile InboundMetadataOutcome? _last;
    private volatile InboundMetadataOutcome? _lastSuccess;

    public MeasuredConfigurationRetriever(string converter, string issuer, ScopeClaimsMetrics metrics, TimeProvider time)
    {
        _converter = converter;
        _issuer = issuer;
        _metrics = metrics;
        _time = time;
    }

    /// <summary>Gets the outcome of the latest fetch, or <see langword="null"/> before the first.</summary>
    public InboundMetadataOutcome? Last => _last;

    /// <summary>Gets the outcome of the latest successful fetch, or <see langword="null"/> when none succeeded.</summary>
    public InboundMetadataOutcome? LastSuccess => _lastSuccess;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        using var activity = ScopeClaimsActivity.Source.StartActivity("scopeclaims.inbound_metadata.fetch", ActivityKind.Internal);
        activity?.SetTag(TelemetryNames.Converter, _converter);
        activity?.SetTag(TelemetryNames.InboundIssuer, _issuer);
        try
        {
            var configuration = await StrictConfigurationRetriever.Instance.GetConfigurationAsync(address, retriever, cancel).ConfigureAwait(false);
            var outcome = new InboundMetadataOutcome(_time.GetUtcNow(), configuration.SigningKeys.Count, null);
            _lastSuccess = outcome;
            _last = outcome;
            activity?.SetTag(TelemetryNames.Result, TelemetryNames.Success);
            Count(TelemetryNames.Success, null);
            return configuration;
        }
        catch (Exception ex)
        {
            // Note: the exception's type only; a message could quote a document the authority sent.
            var errorType = ex.GetType().FullName;
            _last = new InboundMetadataOutcome(_time.GetUtcNow(), 0, errorType);
            activity?.SetTag(TelemetryNames.Result, TelemetryNames.Failure);
            activity?.SetTag(TelemetryNames.ErrorType, errorType);
            activity?.SetStatus(ActivityStatusCode.Error, errorType);
            Count(TelemetryNames.Failure, errorType);
            throw;
        }
    }

    private void Count(string result, string? errorType)
    {
        var refreshes = _metrics.MetadataRefreshes;
        if (refreshes.Enabled)
        {
            if (errorType is null)
            {
                refreshes.Add(1, new(TelemetryNames.Converter, _converter), new(TelemetryNames.InboundIssuer, _issuer), new(TelemetryNames.Result, result));
            }
            else
            {
                var tags = new TagList { { TelemetryNames.Converter, _converter }, { TelemetryNames.InboundIssuer, _issuer }, { TelemetryNames.Result, result }, { TelemetryNames.ErrorType, errorType } };
                refreshes.Add(1, tags);
            }
        }
    }
}
