using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using ScopeClaims.Internal;

namespace ScopeClaims.Http.Internal;

/// <summary>Posts the RFC 7523 §2.1 JWT-bearer grant to a token endpoint and reads the RFC 6749 §5.1/§5.2 answer.</summary>
/// <remarks>
/// The request never follows a redirect: <see cref="TokenClientRedirectFilter"/> switches redirects off on the token
/// client's handler, and whatever handler the client has, a 3xx, or a response that came from another URL than the
/// token endpoint, is refused before its body is read. The answer is read in <c>TokenEndpointClient.Response.cs</c>.
/// </remarks>
internal sealed partial class TokenEndpointClient
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>Form parameters this client sets itself; <see cref="JwtBearerGrantOptions.Parameters"/> cannot replace them.</summary>
    public static readonly IReadOnlySet<string> ReservedParameters = new HashSet<string>(StringComparer.Ordinal)
    {
        "grant_type", "assertion", "scope", "client_id", "client_secret", "client_assertion", "client_assertion_type",
    };

    // Note: a token response is a few kilobytes at most; a larger body is not one, and is not read into memory whole.
    private const int MaxResponseBytes = 64 * 1024;

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly ScopeClaimsHttpMetrics _metrics;

    public TokenEndpointClient(IHttpClientFactory clients, TimeProvider time, ILogger logger, ScopeClaimsHttpMetrics metrics)
    {
        _clients = clients;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Requests a token, in a <c>scopeclaims.http.token_request</c> span (the HttpClient's own span nests under it), counted and timed by result.</summary>
    /// <param name="clientName">The HttpClient name.</param>
    /// <param name="options">Its options.</param>
    /// <param name="clientId">The client id.</param>
    /// <param name="assertion">The signed assertion, or <see langword="null"/> for a grant without one.</param>
    /// <param name="clientAssertion">The private_key_jwt client assertion, or <see langword="null"/>.</param>
    /// <param name="caller">The span of the caller that needed the token, or default for <see cref="Activity.Current"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<PartnerToken> RequestAsync(string clientName, JwtBearerGrantOptions options, string clientId, string assertion, string? clientAssertion, ActivityContext caller, CancellationToken cancellationToken)
    {
        using var activity = ScopeClaimsHttpMetrics.Source.StartActivity("scopeclaims.http.token_request", ActivityKind.Internal, caller);
        activity?.SetTag(ScopeClaimsHttpMetrics.Client, clientName);
        var duration = _metrics.TokenRequestDuration;
        var started = duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var result = TelemetryNames.Failure;
        string? code = null;
        string? errorType = null;
        try
        {
            var token = await RequestCoreAsync(clientName, options, clientId, assertion, clientAssertion, cancellationToken).ConfigureAwait(false);
            result = TelemetryNames.Success;
            return token;
        }
        catch (TokenEndpointErrorException ex)
        {
            result = "error";
            code = ScopeClaimsHttpMetrics.ErrorCodeTag(ex.Error);
            throw;
        }
        catch (TokenEndpointUnavailableException ex)
        {
            result = ex.IsTimeout ? "timeout" : "unavailable";
            throw;
        }
        catch (InvalidTokenResponseException)
        {
            result = "invalid_response";
            throw;
        }
        catch (Exception ex)
        {
            // Note: cancellation by the caller, or a fault; the type names it, a message is never used.
            errorType = ex.GetType().FullName;
            throw;
        }
        finally
        {
            Record(activity, clientName, started, result, code, errorType);
        }
    }

    private void Record(Activity? activity, string clientName, long started, string result, string? code, string? errorType)
    {
        var failed = result != TelemetryNames.Success;
        if (activity is not null)
        {
            activity.SetTag(TelemetryNames.Result, result);
            activity.SetTag(ScopeClaimsHttpMetrics.OAuthError, code);
            if (failed)
            {
                activity.SetTag(TelemetryNames.ErrorType, errorType ?? code ?? result);
                activity.SetStatus(ActivityStatusCode.Error, code ?? result);
            }
        }

        var requests = _metrics.TokenRequests;
        if (requests.Enabled)
        {
            var tags = new TagList { { ScopeClaimsHttpMetrics.Client, clientName }, { TelemetryNames.Result, result } };
            if (code is not null)
            {
                tags.Add(ScopeClaimsHttpMetrics.OAuthError, code);
            }

            if (errorType is not null)
            {
                tags.Add(TelemetryNames.ErrorType, errorType);
            }

            requests.Add(1, tags);
        }

        var duration = _metrics.TokenRequestDuration;
        if (duration.Enabled && started != 0)
        {
            duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new(ScopeClaimsHttpMetrics.Client, clientName), new(TelemetryNames.Result, result));
        }
    }

    private async Task<PartnerToken> RequestCoreAsync(string clientName, JwtBearerGrantOptions options, string clientId, string assertion, string? clientAssertion, CancellationToken cancellationToken)
    {
        var endpoint = options.TokenEndpoint!;
        var form = Form(options, clientId, assertion, clientAssertion);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string? basic = null;
        if (options.ClientAuthentication == ClientAuthenticationMethod.ClientSecretBasic)
        {
            // RFC 6749 §2.3.1: the id and the secret are form-encoded before they are joined and base64-encoded.
            var credentials = $"{WebUtility.UrlEncode(clientId)}:{WebUtility.UrlEncode(options.ClientSecret)}";
            basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        var sent = new SentValues(form, options.ClientSecret, assertion, basic, clientAssertion);
        request.Options.Set(SentValues.Key, sent);
        Log.RequestingToken(_logger, clientName, endpoint);
        using var timeout = new CancellationTokenSource(options.TokenRequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var client = _clients.CreateClient(options.TokenClientName);
        HttpStatusCode status;
        MediaTypeHeaderValue? contentType;
        byte[]? body;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            if ((int)status is >= 300 and <= 399)
            {
                throw Invalid(clientName, endpoint, status, "a redirect, which a token request never follows (the assertion and the client credentials go to TokenEndpoint and nowhere else); set TokenEndpoint to the URL the partner documents", null);
            }

            if (CameFromElsewhere(request, response, endpoint))
            {
                throw Invalid(clientName, endpoint, status, "the response came from another URL than TokenEndpoint: a handler of the token client followed a redirect, which a token request never does, so the answer is not used; remove the redirect-following handler from the token client", null);
            }

            contentType = response.Content.Headers.ContentType;
            body = await ReadBoundedAsync(response.Content, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout, or HttpClient.Timeout (which throws a TaskCanceledException wrapping a TimeoutException).
            var limit = timeout.IsCancellationRequested ? options.TokenRequestTimeout : client.Timeout;
            throw Unavailable(clientName, endpoint, limit, ex, sent);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Unavailable(clientName, endpoint, null, ex, sent);
        }

        return Read(clientName, options, status, contentType, body, sent);
    }

    /// <summary>
    /// Whether the answer is not the token endpoint's own: the platform handlers, when they follow a redirect, point
    /// the request (and the response's <see cref="HttpResponseMessage.RequestMessage"/>) at the <c>Location</c>.
    /// </summary>
    private static bool CameFromElsewhere(HttpRequestMessage request, HttpResponseMessage response, Uri endpoint) =>
        !IsEndpoint(request.RequestUri, endpoint) || (response.RequestMessage is { } answered && !IsEndpoint(answered.RequestUri, endpoint));

    private static bool IsEndpoint(Uri? uri, Uri endpoint) =>
        uri is { IsAbsoluteUri: true } && Uri.Compare(uri, endpoint, UriComponents.HttpRequestUrl, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;

    private static List<KeyValuePair<string, string>> Form(JwtBearerGrantOptions options, string clientId, string assertion, string? clientAssertion)
    {
        var form = options.Grant is { } grant ? grant.Parameters() : new List<KeyValuePair<string, string>>
        {
            new("grant_type", GrantType),
            new("assertion", assertion),
        };
        if (options.SendScopeParameter && !options.Scopes.IsEmpty)
        {
            form.Add(new("scope", options.Scopes.ToString()));
        }

        if (options.ClientAuthentication == ClientAuthenticationMethod.ClientSecretPost)
        {
            form.Add(new("client_id", clientId));
            form.Add(new("client_secret", options.ClientSecret!));
        }

        if (clientAssertion is not null)
        {
            // RFC 7523 §2.2; client_id is optional beside a client assertion (RFC 7521 §4.2) and not sent.
            form.Add(new("client_assertion_type", ClientAssertion.Type));
            form.Add(new("client_assertion", clientAssertion));
        }

        foreach (var parameter in options.Parameters)
        {
            form.Add(parameter);
        }

        return form;
    }

    /// <summary>Reads the body, or returns <see langword="null"/> when it is larger than <see cref="MaxResponseBytes"/>.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private InvalidTokenResponseException Invalid(string clientName, Uri? endpoint, HttpStatusCode status, string problem, Exception? inner)
    {
        Log.InvalidTokenResponse(_logger, endpoint, status, clientName);
        return new InvalidTokenResponseException(endpoint, status, problem, inner);
    }

    private TokenEndpointUnavailableException Unavailable(string clientName, Uri? endpoint, TimeSpan? timeout, Exception inner, SentValues sent)
    {
        var safe = sent.Redact(inner);
        Log.TokenEndpointUnavailable(_logger, endpoint, clientName, timeout is not null, safe);
        return new TokenEndpointUnavailableException(endpoint, timeout, safe);
    }
}
