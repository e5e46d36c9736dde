using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Testing.Internal;
using ScopeClaims.Internal;

namespace ScopeClaims.Testing;

/// <summary>
/// Reads a compact JWS <em>without validating it</em>, so a test can see exactly what a token says and in which shape.
/// </summary>
/// <remarks>
/// The signature is not verified and no claim is checked: an inspection tells you what your code wrote, never whether a
/// token can be trusted. To validate, use <see cref="ScopeTokenAssertions.IsValidAgainstJwks"/>.
/// </remarks>
/// <example>
/// <code>
/// TokenInspection inspection = TokenInspector.InspectUnvalidated(token);
/// ScopeClaimShape shape = inspection.GetScopeClaim("scope").Shape;   // ScopeClaimShape.Array
/// </code>
/// </example>
public static class TokenInspector
{
    private const int MaxJsonDepth = 64;

    /// <summary>Decodes the header and payload of a compact JWS without validating anything.</summary>
    /// <param name="token">The compact token: <c>header.payload.signature</c>, each part base64url (RFC 7515 §7.1).</param>
    /// <returns>What the token says; nothing in it has been verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="MalformedTokenException">
    /// The token is not three dot-separated parts (a JWE has five), a part is not base64url, or the header or payload
    /// is not one JSON object with distinct member names and valid Unicode strings. The message never repeats the token.
    /// </exception>
    public static TokenInspection InspectUnvalidated(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length == 5)
        {
            throw new MalformedTokenException("The token has 5 parts: it is an encrypted JWE, which cannot be inspected. Pass a signed compact JWS (header.payload.signature).");
        }

        if (parts.Length != 3)
        {
            throw new MalformedTokenException(string.Create(CultureInfo.InvariantCulture, $"The token has {parts.Length} part(s) separated by '.'; a compact JWS has 3 (header.payload.signature)."));
        }

        var (headerJson, header) = ReadObject(parts[0], "header");
        var (payloadJson, payload) = ReadObject(parts[1], "payload");
        CheckBase64Url(parts[2], "signature");
        return new TokenInspection(headerJson, header, payloadJson, payload, parts[2].Length > 0);
    }

    private static (string Json, JsonElement Element) ReadObject(string part, string name)
    {
        if (part.Length == 0)
        {
            throw new MalformedTokenException($"The token's {name} is empty; it must be a base64url-encoded JSON object.");
        }

        CheckBase64Url(part, name);
        var bytes = Base64UrlEncoder.DecodeBytes(part);
        string json;
        try
        {
            json = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedTokenException($"The token's {name} is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            // Note: JsonException messages quote the offending character; only the position is reported.
            throw new MalformedTokenException(string.Create(CultureInfo.InvariantCulture, $"The token's {name} is not well-formed JSON (or is nested deeper than {MaxJsonDepth}) near byte {ex.BytePositionInLine ?? 0} of line {ex.LineNumber ?? 0}."));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedTokenException($"The token's {name} is JSON but {JsonText.Kind(root.ValueKind)}, not an object.");
            }

            if (!JsonUnicode.HasOnlyUnicodeStrings(bytes, MaxJsonDepth))
            {
                throw new MalformedTokenException($"The token's {name} holds a string that is not valid Unicode (an escaped lone surrogate such as \\uD800).");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    // RFC 7515 §5.2 and RFC 7519 §4: duplicate member names make a token ambiguous; refuse it.
                    throw new MalformedTokenException($"The token's {name} names the member '{JsonText.Shorten(property.Name)}' more than once.");
                }
            }

            // Note: the same at any depth (a nested object such as "cnf" or "act" read twice two ways), by one scanner.
            var visitor = default(NoVisitor);
            if (JsonGuard.Check(bytes, MaxJsonDepth, ref visitor) == JsonGuard.Verdict.DuplicateKey)
            {
                throw new MalformedTokenException($"The token's {name} names a member more than once in a nested object.");
            }

            return (json, root.Clone());
        }
    }

    private static void CheckBase64Url(string part, string name)
    {
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                throw new MalformedTokenException(string.Create(CultureInfo.InvariantCulture, $"The token's {name} is not base64url: the character at index {i} is outside the alphabet A-Z a-z 0-9 - _ (padding '=' is not allowed)."));
            }
        }

        if (part.Length % 4 == 1)
        {
            throw new MalformedTokenException($"The token's {name} is not base64url: its length cannot be decoded (one character too many or too few).");
        }
    }

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
