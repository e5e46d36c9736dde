using System;
using System.Buffers;
#if NET9_0_OR_GREATER
using System.Buffers.Text;
#endif
using System.Globalization;
using System.IdentityModel.Tokens.Jwt;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
#if NET9_0_OR_GREATER
using ScopeClaims.Internal;
#endif

namespace ScopeClaims;

// JSON input: a token's payload (from a JsonWebToken, a JwtSecurityToken, or JSON text or UTF-8), read so that the exact
// shape of each scope claim is seen.
public sealed partial class ScopeNormalizer
{
    // Note: a decoded payload up to this size is read from the stack.
    private const int StackBytes = 1024;

    /// <summary>Reads the scopes of a token from its payload JSON, so the exact shape is seen.</summary>
    /// <param name="token">The token; it is read, not validated.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case; or the payload is malformed.</exception>
    public ScopeSet Read(JsonWebToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ReadEncodedPayload(EncodedPayloadOf(token));
    }

    /// <summary>Reads the scopes of a token from its payload JSON, so the exact shape is seen.</summary>
    /// <param name="token">The token; it is read, not validated.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case; or the payload is malformed.</exception>
    public ScopeSet Read(JwtSecurityToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ReadEncodedPayload(token.EncodedPayload);
    }

    /// <summary>Reads the scopes from a JWT payload given as JSON text.</summary>
    /// <param name="payloadJson">The payload: one JSON object.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, is named twice, or is imitated by a claim named like it in another case; or the JSON is malformed.</exception>
    public ScopeSet ReadPayloadJson(string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        CheckPayloadLength(payloadJson.Length);
        return ReadPayloadJson(Encoding.UTF8.GetBytes(payloadJson));
    }

    /// <summary>Reads the scopes from a JWT payload given as UTF-8 JSON.</summary>
    /// <param name="utf8PayloadJson">The payload: one JSON object.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, is named twice, or is imitated by a claim named like it in another case; or the JSON is malformed.</exception>
    public ScopeSet ReadPayloadJson(ReadOnlySpan<byte> utf8PayloadJson)
    {
        CheckPayloadLength(utf8PayloadJson.Length);
        var found = new ScopeSet?[_claimTypes.Length];
        // Note: MaxJsonDepth bounds the scope claims, which ReadJsonValue refuses beyond a flat array; other claims may nest
        // as deeply as the token validator accepted. Skip is iterative and the payload's length is bounded.
        var reader = new Utf8JsonReader(utf8PayloadJson, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed("is not a JSON object", null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOfClaimType(ref reader);
                if (index < 0 && IndexOfCaseVariant(ref reader) is var variant and >= 0)
                {
                    throw CaseVariant(_claimTypes[variant]);
                }

                reader.Read();
                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }

                if (found[index] is not null)
                {
                    // Note: two parsers may keep either value of a repeated claim; refuse rather than pick one.
                    throw Malformed($"names the scope claim '{_claimTypes[index]}' more than once", null);
                }

                found[index] = ReadJsonValue(ref reader, _claimTypes[index]);
            }

            if (reader.Read())
            {
                throw Malformed("has content after the JSON object", null);
            }
        }
        catch (JsonException ex)
        {
            throw Malformed("is not well-formed JSON or is nested too deeply", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Malformed("is not well-formed JSON", ex);
        }

        return Combine(found);
    }

    private void CheckPayloadLength(int length)
    {
        if (length > _options.MaxPayloadLength)
        {
            throw new ScopeFormatException(ScopeErrorReason.TooLong, null, string.Create(CultureInfo.InvariantCulture, $"The token payload is {length} long; the limit is {_options.MaxPayloadLength} (ScopeNormalizerOptions.MaxPayloadLength)."));
        }
    }

    /// <summary>The index of the scope claim type the reader's property name is, or -1.</summary>
    internal int IndexOfClaimType(ref Utf8JsonReader reader)
    {
        // Note: ValueTextEquals compares the unescaped name, so "\u0073cope" is "scope" too.
        for (var i = 0; i < _utf8ClaimTypes.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8ClaimTypes[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The index of the scope claim type the reader's property name differs from only in case (as .NET compares claim
    /// types), or -1; call it for a name that is none of the claim types exactly.
    /// </summary>
    [SkipLocalsInit]
    private int IndexOfCaseVariant(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length < _shortestClaimType || length > (long)_longestClaimType * MaxBytesPerChar)
        {
            // Note: a name of this many bytes cannot unescape to as many characters as any claim type has.
            return -1;
        }

        if (_asciiClaimTypes && !reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(reader.ValueSpan))
        {
            // Note: between ASCII names OrdinalIgnoreCase folds a-z only, so the token's bytes are compared as they are.
            for (var i = 0; i < _utf8ClaimTypes.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(reader.ValueSpan, _utf8ClaimTypes[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        char[]? rented = null;
        var buffer = length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent((int)length));
        try
        {
            return IndexOfCaseVariant(buffer[..reader.CopyString(buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The payload part of a signed token, sliced from the token's own text (<see cref="JsonWebToken.EncodedPayload"/>
    /// copies it into a new string on first use); any other token (a JWE, which has no payload of its own) through
    /// <see cref="JsonWebToken.EncodedPayload"/>.
    /// </summary>
    private static ReadOnlySpan<char> EncodedPayloadOf(JsonWebToken token)
    {
        if (token.IsEncrypted)
        {
            return token.EncodedPayload;
        }

        // Note: a JsonWebToken that is not encrypted holds exactly two dots; its constructor refuses any other count.
        var encoded = token.EncodedToken.AsSpan();
        return encoded[(encoded.IndexOf('.') + 1)..encoded.LastIndexOf('.')];
    }

    [SkipLocalsInit]
    private ScopeSet ReadEncodedPayload(ReadOnlySpan<char> encodedPayload)
    {
#if NET9_0_OR_GREATER
        // Note: decoded on the stack (pooled beyond StackBytes), not into a new array. Only canonical unpadded base64url
        // takes this path, which every decoder reads as the same bytes; anything else goes to Base64UrlEncoder as before,
        // so no payload is accepted, refused or read differently.
        if (Base64UrlText.Problem(encodedPayload) is null)
        {
            // Note: exact for canonical unpadded input, so an oversized payload is refused before a buffer is taken.
            var length = Base64Url.GetMaxDecodedLength(encodedPayload.Length);
            CheckPayloadLength(length);
            byte[]? rented = null;
            var buffer = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
            try
            {
                return ReadPayloadJson(buffer[..Base64Url.DecodeFromChars(encodedPayload, buffer)]);
            }
            finally
            {
                if (rented is not null)
                {
                    // Note: cleared, so that a decrypted payload never reaches the pool's next renter.
                    ArrayPool<byte>.Shared.Return(rented, clearArray: true);
                }
            }
        }
#endif

        byte[] json;
        try
        {
            json = Base64UrlEncoder.DecodeBytes(encodedPayload.ToString());
        }
        catch (FormatException ex)
        {
            throw Malformed("is not valid base64url", ex);
        }

        return ReadPayloadJson(json);
    }

    private static ScopeFormatException Malformed(string detail, Exception? inner) =>
        new(ScopeErrorReason.MalformedJson, null, $"The token payload {detail}.", inner);
}
