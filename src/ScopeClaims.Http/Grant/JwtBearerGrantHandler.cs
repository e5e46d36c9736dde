using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.Http.Internal;

/// <summary>Attaches the partner token as <c>Authorization: Bearer</c> and, on a 401, retries once with a fresh token.</summary>
internal sealed class JwtBearerGrantHandler : DelegatingHandler
{
    private readonly PartnerTokenProvider _provider;
    private readonly string _name;

    public JwtBearerGrantHandler(PartnerTokenProvider provider, string name)
    {
        _provider = provider;
        _name = name;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"HttpClient '{_name}' gets its partner token asynchronously: call SendAsync (or GetAsync, PostAsync...) instead of the synchronous Send.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = await _provider.GetSourceAsync(_name, request, cancellationToken).ConfigureAwait(false);
        var retry = source.Options.RetryOnUnauthorized;

        // Note: the retry sends the same content again, so a one-shot stream is buffered first; byte-array and
        // memory contents (StringContent, FormUrlEncodedContent, JsonContent's buffered form...) can already be re-read.
        if (retry && request.Content is { } content && content is not (ByteArrayContent or ReadOnlyMemoryContent))
        {
#if NET9_0_OR_GREATER
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
            await content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
        }

        var token = await source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var target = request.RequestUri;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!retry || response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Note: a handler that followed a redirect has pointed the request at the Location (the platform handlers drop
        // Authorization when they do). The 401 came from where the token was not sent, and a retry would send the
        // fresh token there: the response is returned as it is.
        if (Redirected(request, response, target))
        {
            Log.UnauthorizedAfterRedirect(_provider.Logger, request.Method, PathOf(target), _name);
            return response;
        }

        Log.RetryingAfterUnauthorized(_provider.Logger, request.Method, PathOf(request), _name);
        var retries = _provider.Metrics.UnauthorizedRetries;
        if (retries.Enabled)
        {
            retries.Add(1, new KeyValuePair<string, object?>(ScopeClaimsHttpMetrics.Client, _name));
        }

        response.Dispose();
        var refusalMark = source.RefusalMark();
        var fresh = await source.ReplaceAsync(token, refusalMark, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh.AccessToken);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        // Note: the fresh token may be one put in the shared cache before the partner refused it too (after a cache
        // outage the hosts hold different tokens, a revocation refuses both, and a write held up by the outage may land
        // after a newer one). Then, and only then, a second retry goes with a token this host fetches itself after the
        // refusal, so a 401 reaches the caller only when a token fetched after the refusal is refused as well.
        if (response.StatusCode == HttpStatusCode.Unauthorized && !source.FetchedSince(fresh, refusalMark) && !Redirected(request, response, target))
        {
            Log.RetryingWithOwnToken(_provider.Logger, request.Method, PathOf(request), _name);
            response.Dispose();
            var own = await source.GetOwnTokenAsync(fresh, refusalMark, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", own.AccessToken);
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Log.UnauthorizedAfterRetry(_provider.Logger, request.Method, PathOf(request), _name);
        }

        return response;
    }

    private static bool Redirected(HttpRequestMessage request, HttpResponseMessage response, Uri? target) =>
        !SameUrl(request.RequestUri, target) || (response.RequestMessage is { } answered && !SameUrl(answered.RequestUri, target));

    private static bool SameUrl(Uri? uri, Uri? target) =>
        ReferenceEquals(uri, target) || (uri is { IsAbsoluteUri: true } && target is { IsAbsoluteUri: true }
            && Uri.Compare(uri, target, UriComponents.HttpRequestUrl, UriFormat.UriEscaped, StringComparison.Ordinal) == 0);

    // Note: the query string is left out of logs; some APIs carry secrets there.
    private static string? PathOf(HttpRequestMessage request) => PathOf(request.RequestUri);

    private static string? PathOf(Uri? uri) =>
        uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Path) : uri?.OriginalString.Split('?')[0];
}
