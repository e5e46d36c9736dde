using System;
using System.Buffers;
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
using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>
/// Posts an RFC 8693 exchange (form body, RFC 6749 §2.3.1 Basic or an RFC 7523 client assertion) and reads the answer
/// strictly: bounded, strict UTF-8, one JSON object without duplicate members. Nothing it prints quotes the subject
/// token, the secret or the assertion.
/// </summary>
internal static class ExchangeClient
{
    public const int MaxResponseBytes = 64 * 1024;
    public const int DefaultTimeoutSeconds = 30;
    public const int MaxTimeoutSeconds = 300;

    private const string Grant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly SearchValues<char> s_errorCodeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_");

    public static async Task<string> SendAsync(ExchangeRequest request, CancellationToken cancellationToken)
    {
        var pairs = new List<(string, string)>
        {
            ("grant_type", Grant),
            ("subject_token", request.SubjectToken),
            ("subject_token_type", AccessTokenType),
        };
        if (request.Audience is not null)
        {
            pairs.Add(("audience", request.Audience));
        }

        if (request.Scope is not null)
        {
            pairs.Add(("scope", request.Scope));
        }

        string? assertion = null;
        if (request.Credential.Secret is null)
        {
            assertion = request.Credential.CreateAssertion(request.ClientId);
            pairs.Add(("client_assertion_type", AssertionType));
            pairs.Add(("client_assertion", assertion));
        }

        var body = string.Join('&', pairs.ConvertAll(static p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)));
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.Credential.Secret is { } secret)
        {
            // RFC 6749 §2.3.1: the id and the secret are form-encoded, then joined by a colon and base64-encoded.
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(request.ClientId) + ":" + Uri.EscapeDataString(secret)));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        // Note: no redirects (a 307 would replay the credentials elsewhere), no cookies, no proxy credentials.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        // Note: one deadline for the headers and the whole body, so an endpoint that trickles its answer cannot hang us.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        string[] hidden = [request.SubjectToken, request.Credential.Secret ?? request.SubjectToken, assertion ?? request.SubjectToken];

        HttpResponseMessage response;
        byte[] bytes;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            try
            {
                bytes = await ReadBoundedAsync(response, deadline.Token).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"The endpoint could not be reached ({ex.HttpRequestError}).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, string.Create(CultureInfo.InvariantCulture, $"The endpoint did not answer in full within {request.Timeout.TotalSeconds:0} seconds."));
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"The endpoint's answer could not be read ({ex.GetType().Name}).");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var json = Read(bytes, status);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return IssuedToken(json, status);
            }

            if (status is >= 400 and < 500 && String(json, "error") is { } error && IsErrorCode(error))
            {
                var description = String(json, "error_description") is { } text ? Printable(text, hidden) : null;
                throw CliException.Refused(description is null ? $"the endpoint refused the exchange: {error} (HTTP {status})." : $"the endpoint refused the exchange: {error} (HTTP {status}): {description}");
            }

            throw new CliException(ExitCodes.Unavailable, $"The endpoint answered HTTP {status} without an OAuth error.");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new CliException(ExitCodes.Unavailable, $"The endpoint's answer is larger than {MaxResponseBytes} bytes.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxResponseBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return length > MaxResponseBytes
                ? throw new CliException(ExitCodes.Unavailable, $"The endpoint's answer is larger than {MaxResponseBytes} bytes.")
                : buffer.AsSpan(0, length).ToArray();
        }
    }

    /// <summary>Reads the answer as one JSON object, refusing invalid UTF-8, duplicate members and deep nesting.</summary>
    private static JsonElement? Read(byte[] bytes, int status)
    {
        var visitor = default(NoVisitor);
        if (!System.Text.Unicode.Utf8.IsValid(bytes) || JsonGuard.Check(bytes, 16, ref visitor) != JsonGuard.Verdict.Ok)
        {
            return status == 200
                ? throw new CliException(ExitCodes.Unavailable, "The endpoint answered 200 with a body that is not one well-formed JSON object (invalid UTF-8, a member named twice, or nesting too deep).")
                : null;
        }

        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    private static string IssuedToken(JsonElement? json, int status)
    {
        if (json is not { } body || String(body, "access_token") is not { Length: > 0 } token
            || !string.Equals(String(body, "token_type"), "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(ExitCodes.Unavailable, $"The endpoint answered HTTP {status} without an access_token of token_type Bearer.");
        }

        // Note: printed alone on one line, so a token holding a line break or a space is not a token.
        foreach (var c in token)
        {
            if (c is <= ' ' or > '~')
            {
                throw new CliException(ExitCodes.Unavailable, "The endpoint's access_token holds whitespace or characters outside printable ASCII.");
            }
        }

        return token;
    }

    private static string? String(JsonElement? json, string name) =>
        json is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsErrorCode(string error) => error.Length is > 0 and <= 64 && error.AsSpan().IndexOfAnyExcept(s_errorCodeCharacters) < 0;

    /// <summary>The endpoint's description as one printable line of at most 300 characters, or nothing if it quotes what was sent.</summary>
    private static string? Printable(string text, string[] hidden)
    {
        foreach (var secret in hidden)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                return null;
            }
        }

        var builder = new StringBuilder(Math.Min(text.Length, 300));
        foreach (var c in text)
        {
            if (builder.Length == 300)
            {
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
