using System;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims.Http.Internal;

/// <summary>Reads the token endpoint's answer: an RFC 6749 §5.1 token response or a §5.2 error response, and nothing else.</summary>
internal sealed partial class TokenEndpointClient
{
    // Note: JsonDocument's own default; a token response nests two or three levels at most.
    private const int MaxJsonDepth = 64;

    // Note: partner text (error_description, a media type) is cut to this many characters in exceptions.
    private const int MaxTextLength = 200;

    // Note: only this much of a partner's text is looked at; what lies beyond is never shown.
    private const int MaxTextRead = 1024;

    private const int MaxErrorUriLength = 512;

    private PartnerToken Read(string clientName, JwtBearerGrantOptions options, HttpStatusCode status, MediaTypeHeaderValue? contentType, byte[]? body, SentValues sent)
    {
        var endpoint = options.TokenEndpoint;
        if (body is null)
        {
            throw Invalid(clientName, endpoint, status, "the body is larger than 64 KiB", null);
        }

        if (ContentTypeProblem(contentType, sent) is { } problem)
        {
            throw Invalid(clientName, endpoint, status, problem, null);
        }

        using var document = Parse(clientName, endpoint, status, body);
        var json = document.RootElement;

        // RFC 6749 §5.2; some servers also send an error object with a 2xx status. Note: "error": null, which some
        // serializers write beside a token, is no error; any other value is one.
        if (json.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            if (json.TryGetProperty("access_token", out _))
            {
                throw Invalid(clientName, endpoint, status, "the body carries both error and access_token, so it is neither a token response (RFC 6749 §5.1) nor an error response (§5.2)", null);
            }

            if (error.ValueKind != JsonValueKind.String || error.GetString() is not { } code || !IsErrorCode(code))
            {
                throw Invalid(clientName, endpoint, status, $"error is not an RFC 6749 §5.2 error code (1 to {MaxTextLength} printable ASCII characters other than '\"' and '\\')", null);
            }

            var redacted = sent.Redact(code);
            Log.TokenEndpointError(_logger, endpoint, clientName, status, redacted);
            throw new TokenEndpointErrorException(endpoint, status, redacted, Description(json, sent), ErrorUri(json, sent));
        }

        if (!IsSuccess(status))
        {
            throw Invalid(clientName, endpoint, status, "an error status without an RFC 6749 §5.2 error object", null);
        }

        if (status != HttpStatusCode.OK)
        {
            throw Invalid(clientName, endpoint, status, "a token response is sent with HTTP 200 (RFC 6749 §5.1)", null);
        }

        return ReadToken(clientName, options, status, json);
    }

    /// <summary>Returns what is wrong with the response's media type, or <see langword="null"/> for JSON in UTF-8.</summary>
    /// <remarks>
    /// RFC 6749 §5.1 and §5.2: the answer is <c>application/json</c>; an <c>application/*+json</c> type (RFC 6839 §3.1)
    /// is JSON too. A body without a Content-Type, or labelled as anything else (an HTML login page that happens to
    /// parse, say), is refused rather than sniffed. A charset other than UTF-8 would change what the bytes mean, so
    /// it is refused (RFC 8259 §8.1); other parameters change nothing and are ignored.
    /// </remarks>
    private static string? ContentTypeProblem(MediaTypeHeaderValue? contentType, SentValues sent)
    {
        if (contentType?.MediaType is not { Length: > 0 } media)
        {
            return "the body is not labelled as JSON: the response has no (valid) Content-Type, where RFC 6749 §5.1 requires application/json";
        }

        var json = string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!json)
        {
            return $"the body is not JSON: its Content-Type is '{Text(media, sent)}', where RFC 6749 §5.1 requires application/json";
        }

        if (contentType.CharSet is { } charset && !string.Equals(charset.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return $"the Content-Type's charset is '{Text(charset, sent)}'; JSON is UTF-8 (RFC 8259 §8.1)";
        }

        return null;
    }

    /// <summary>
    /// Parses the body once it has been checked: valid UTF-8 with no escaped lone surrogate, one JSON object, no
    /// member named twice at any depth (<c>"\u0061ccess_token"</c> is <c>access_token</c>), nesting within limits.
    /// </summary>
    private JsonDocument Parse(string clientName, Uri? endpoint, HttpStatusCode status, byte[] body)
    {
        if (body.Length == 0)
        {
            throw Invalid(clientName, endpoint, status, "the body is empty", null);
        }

        // Note: no inner exception: a JsonException's message quotes the body.
        bool unicode;
        try
        {
            unicode = System.Text.Unicode.Utf8.IsValid(body) && JsonUnicode.HasOnlyUnicodeStrings(body, MaxJsonDepth + 1);
        }
        catch (JsonException)
        {
            throw Invalid(clientName, endpoint, status, "the body is not JSON", null);
        }

        if (!unicode)
        {
            throw Invalid(clientName, endpoint, status, "a string in the body is not valid Unicode (invalid UTF-8, or an escaped lone surrogate such as \\uD800)", null);
        }

        var visitor = default(NoVisitor);
        var problem = JsonGuard.Check(body, MaxJsonDepth, ref visitor) switch
        {
            JsonGuard.Verdict.Ok => null,
            JsonGuard.Verdict.NotAnObject => "the body is not a JSON object",
            JsonGuard.Verdict.DuplicateKey => "the body names a JSON member more than once (compared after unescaping), so two readers could see two different responses",
            JsonGuard.Verdict.TooDeep => $"the body nests JSON deeper than {MaxJsonDepth} levels",
            _ => "the body is not JSON",
        };
        if (problem is not null)
        {
            throw Invalid(clientName, endpoint, status, problem, null);
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth + 1 });
        }
        catch (JsonException)
        {
            throw Invalid(clientName, endpoint, status, "the body is not JSON", null);
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

        if (options.Grant?.CheckResponse(json) is { } problem)
        {
            throw Invalid(clientName, endpoint, status, problem, null);
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
            throw Invalid(clientName, endpoint, status, "expires_in is not a whole number of seconds from 1 to 2147483647 (a JSON number such as 3600 or 3600.0, or a string of decimal digits such as \"3600\")", null);
        }

        return new PartnerToken(accessToken, now.AddSeconds(seconds));
    }

    /// <summary>Reads <c>expires_in</c>: a whole number of seconds from 1 to <see cref="int.MaxValue"/>.</summary>
    /// <remarks>
    /// RFC 6749 §5.1 makes it a JSON number, and a number with a zero fraction or an exponent (<c>3600.0</c>,
    /// <c>3.6e3</c>) is the same number. A fraction (<c>3600.5</c>) is refused rather than rounded; zero and negative
    /// lifetimes are refused; so is anything past a 32-bit signed integer (about 68 years). Some deployed servers send
    /// the number as a string (<c>"3599"</c>), so a string of decimal digits only is read too: no sign, space, point
    /// or exponent.
    /// </remarks>
    private static bool TryReadSeconds(JsonElement value, out int seconds)
    {
        seconds = 0;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDecimal(out var number) && number == decimal.Truncate(number) && number is >= 1 and <= int.MaxValue:
                seconds = (int)number;
                return true;
            case JsonValueKind.String:
                return int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds > 0;
            default:
                return false;
        }
    }

    /// <summary>RFC 6749 §5.2 and Appendix A.7: <c>error = 1*NQSCHAR</c>, bounded here.</summary>
    private static bool IsErrorCode(string code)
    {
        if (code.Length is 0 or > MaxTextLength)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!IsNqsChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The <c>error_description</c>, redacted, cut short and reduced to the RFC 6749 §5.2 character set.</summary>
    private static string? Description(JsonElement json, SentValues sent) =>
        String(json, "error_description") is { } description ? Text(description, sent) : null;

    /// <summary>The <c>error_uri</c> when it is an absolute http(s) URI in the RFC 6749 §5.2 character set that carries nothing that was sent; otherwise <see langword="null"/>.</summary>
    private static string? ErrorUri(JsonElement json, SentValues sent)
    {
        if (String(json, "error_uri") is not { Length: > 0 and <= MaxErrorUriLength } uri)
        {
            return null;
        }

        foreach (var c in uri)
        {
            if (c == ' ' || !IsNqsChar(c))
            {
                return null;
            }
        }

        return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            && string.Equals(sent.Redact(uri), uri, StringComparison.Ordinal) ? uri : null;
    }

    /// <summary>
    /// Partner text made fit for a message: anything that was sent redacted first (on the text as received, so that
    /// no replacement below can join a secret back together), then every character outside %x20-21 / %x23-5B /
    /// %x5D-7E replaced (tabs and line breaks by a space, the rest by '?'), then cut to <see cref="MaxTextLength"/>.
    /// </summary>
    private static string Text(string value, SentValues sent)
    {
        var redacted = sent.Redact(value.Length > MaxTextRead ? value[..MaxTextRead] : value);
        var text = new StringBuilder(Math.Min(redacted.Length, MaxTextLength + 3));
        var i = 0;
        for (; i < redacted.Length && text.Length < MaxTextLength; i++)
        {
            var c = redacted[i];
            if (char.IsHighSurrogate(c) && i + 1 < redacted.Length && char.IsLowSurrogate(redacted[i + 1]))
            {
                i++; // one '?' for the whole character
            }

            text.Append(IsNqsChar(c) ? c : c is '\t' or '\r' or '\n' ? ' ' : '?');
        }

        return i < redacted.Length ? text.Append("...").ToString() : text.ToString();
    }

    private static bool IsNqsChar(char c) => c is (>= '\x20' and <= '\x21') or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E');

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
