using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using ScopeClaims.Internal;

namespace ScopeClaims.Http.Internal;

/// <summary>Posts the RFC 7523 §2.1 JWT-bearer grant to a token endpoint and reads the RFC 6749 §5.1/§5.2 answer.</summary>
internal sealed class TokenEndpointClient
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

    public TokenEndpointClient(IHttpClientFactory clients, TimeProvider time, ILogger logger)
    {
        _clients = clients;
        _time = time;
        _logger = logger;
    }

    public async Task<PartnerToken> RequestAsync(string clientName, JwtBearerGrantOptions options, string clientId, string assertion, CancellationToken cancellationToken)
    {
        var endpoint = options.TokenEndpoint;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(Form(options, clientId, assertion)) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (options.ClientAuthentication == ClientAuthenticationMethod.ClientSecretBasic)
        {
            // RFC 6749 §2.3.1: the id and the secret are form-encoded before they are joined and base64-encoded.
            var credentials = $"{WebUtility.UrlEncode(clientId)}:{WebUtility.UrlEncode(options.ClientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        Log.RequestingToken(_logger, clientName, endpoint);
        using var timeout = new CancellationTokenSource(options.TokenRequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var client = _clients.CreateClient(options.TokenClientName);
        HttpStatusCode status;
        byte[]? body;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            body = await ReadBoundedAsync(response.Content, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout, or HttpClient.Timeout (which throws a TaskCanceledException wrapping a TimeoutException).
            var limit = timeout.IsCancellationRequested ? options.TokenRequestTimeout : client.Timeout;
            throw Unavailable(clientName, endpoint, limit, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Unavailable(clientName, endpoint, null, ex);
        }

        return Read(clientName, options, status, body);
    }

    private static List<KeyValuePair<string, string>> Form(JwtBearerGrantOptions options, string clientId, string assertion)
    {
        var form = new List<KeyValuePair<string, string>>
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

    private PartnerToken Read(string clientName, JwtBearerGrantOptions options, HttpStatusCode status, byte[]? body)
    {
        var endpoint = options.TokenEndpoint;
        if (body is null)
        {
            throw Invalid(clientName, endpoint, status, "the body is larger than 64 KiB", null);
        }

        JsonDocument? document = null;
        try
        {
            if (body.Length > 0)
            {
                if (!JsonUnicode.HasOnlyUnicodeStrings(body))
                {
                    throw Invalid(clientName, endpoint, status, "a string in the body is not valid Unicode (invalid UTF-8, or an escaped lone surrogate such as \\uD800)", null);
                }

                document = JsonDocument.Parse(body);
            }
        }
        catch (JsonException ex)
        {
            throw Invalid(clientName, endpoint, status, "the body is not JSON", ex);
        }

        using (document)
        {
            var root = document?.RootElement;
            if (root is not { ValueKind: JsonValueKind.Object } json)
            {
                throw Invalid(clientName, endpoint, status, body.Length == 0 ? "the body is empty" : "the body is not a JSON object", null);
            }

            // RFC 6749 §5.2; some servers also send an error object with a 2xx status.
            if (String(json, "error") is { Length: > 0 } error && (!IsSuccess(status) || !json.TryGetProperty("access_token", out _)))
            {
                Log.TokenEndpointError(_logger, endpoint, clientName, status, error);
                throw new TokenEndpointErrorException(endpoint, status, error, String(json, "error_description"), String(json, "error_uri"));
            }

            if (!IsSuccess(status))
            {
                throw Invalid(clientName, endpoint, status, "an error status without an RFC 6749 §5.2 error object", null);
            }

            return ReadToken(clientName, options, status, json);
        }
    }

    private PartnerToken ReadToken(string clientName, JwtBearerGrantOptions options, HttpStatusCode status, JsonElement json)
    {
        var endpoint = options.TokenEndpoint;
        if (String(json, "access_token") is not { Length: > 0 } accessToken)
        {
            throw Invalid(clientName, endpoint, status, "access_token is missing or not a non-empty string", null);
        }

        // RFC 6750 §2.1: a bearer token is visible ASCII; anything else cannot travel in an Authorization header.
        foreach (var c in accessToken)
        {
            if (c is < '!' or > '~')
            {
                throw Invalid(clientName, endpoint, status, "access_token contains characters a Bearer credential cannot carry (RFC 6750 §2.1)", null);
            }
        }

        // RFC 6749 §5.1 requires token_type; a missing one is taken as Bearer, anything else (DPoP, MAC) cannot be used here.
        if (json.TryGetProperty("token_type", out var type) && (type.ValueKind != JsonValueKind.String || !string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            throw Invalid(clientName, endpoint, status, "token_type is not Bearer; only bearer tokens (RFC 6750) can be attached by this handler", null);
        }

        var now = _time.GetUtcNow();
        if (!json.TryGetProperty("expires_in", out var expiresIn) || expiresIn.ValueKind == JsonValueKind.Null)
        {
            Log.ExpiresInMissing(_logger, endpoint, options.DefaultTokenLifetime);

            // Note: without a default lifetime the token is used once: an expiry at "now" is never cached.
            return new PartnerToken(accessToken, now + (options.DefaultTokenLifetime ?? TimeSpan.Zero));
        }

        if (!TryReadSeconds(expiresIn, out var seconds))
        {
            throw Invalid(clientName, endpoint, status, "expires_in is not a positive whole number of seconds", null);
        }

        return new PartnerToken(accessToken, now.AddSeconds(seconds));
    }

    // Note: some servers send expires_in as a string ("3599"); a number is what RFC 6749 §5.1 asks for, either is read.
    private static bool TryReadSeconds(JsonElement value, out int seconds)
    {
        seconds = 0;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out seconds),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            _ => false,
        };
        return ok && seconds > 0;
    }

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;

    private InvalidTokenResponseException Invalid(string clientName, Uri? endpoint, HttpStatusCode status, string problem, Exception? inner)
    {
        Log.InvalidTokenResponse(_logger, endpoint, status, clientName);
        return new InvalidTokenResponseException(endpoint, status, problem, inner);
    }

    private TokenEndpointUnavailableException Unavailable(string clientName, Uri? endpoint, TimeSpan? timeout, Exception inner)
    {
        Log.TokenEndpointUnavailable(_logger, endpoint, clientName, timeout is not null, inner);
        return new TokenEndpointUnavailableException(endpoint, timeout, inner);
    }
}
