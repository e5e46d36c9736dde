using System;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScopeClaims.Internal;

namespace ScopeClaims.Http.Internal;

/// <summary>Reads the token endpoint's answer: an RFC 6749 §5.1 token response or a §5.2 error response.</summary>
internal sealed partial class TokenEndpointClient
{
    private PartnerToken Read(string clientName, JwtBearerGrantOptions options, HttpStatusCode status, MediaTypeHeaderValue? contentType, byte[]? body, SentValues sent)
    {
        _ = contentType;
        _ = sent;
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

}
