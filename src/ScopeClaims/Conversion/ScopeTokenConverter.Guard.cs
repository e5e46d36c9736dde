using System;
using System.Buffers;
#if NET9_0_OR_GREATER
using System.Buffers.Text;
#endif
using System.Runtime.CompilerServices;
using System.Text.Json;
#if !NET9_0_OR_GREATER
using Microsoft.IdentityModel.Tokens;
#endif
using ScopeClaims.Internal;

namespace ScopeClaims;

// The guard every token passes before validation: its shape and length, strict base64url of valid UTF-8, one JSON object
// per part scanned once (no duplicate names, bounded depth), and the header rules (<c>alg</c>, <c>crit</c>, key references).
public sealed partial class ScopeTokenConverter
{
    // Note: a decoded header or payload up to this size is scanned from the stack.
    private const int StackBytes = 1024;

    private SourceToken Inspect(string token, out PayloadFacts facts)
    {
        if (token.Length > _options.MaxTokenLength)
        {
            throw Refuse(TokenConversionFailure.Oversized, $"The token is {token.Length} characters long; the limit is {_options.MaxTokenLength} (ScopeTokenConverterOptions.MaxTokenLength).");
        }

        facts = default;
        var span = token.AsSpan();
        var dots = span.Count('.');
        if (dots == 4)
        {
            if (!_options.AllowEncryptedTokens)
            {
                throw Refuse(TokenConversionFailure.EncryptedTokenNotAllowed, "The token is encrypted (JWE); set ScopeTokenConverterOptions.AllowEncryptedTokens and DecryptionKeys to accept it.");
            }

            // Note: the encrypted payload is checked after Microsoft.IdentityModel decrypts it; only the protected header is read here.
            var protectedHeader = ReadHeader(span[..span.IndexOf('.')], encrypted: true);

            // Note: Microsoft.IdentityModel checks a JWE's "enc" against ValidAlgorithms but unwraps the key with any "alg"
            // the decryption key supports, RSA1_5 included; the key-management algorithm is held to a list here.
            if (Array.IndexOf(InboundIssuer.KeyManagementAlgorithms, protectedHeader.Algorithm) < 0)
            {
                throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, $"The encrypted token's key-management algorithm is not accepted (accepted: {string.Join(", ", InboundIssuer.KeyManagementAlgorithms)}).");
            }

            return protectedHeader;
        }

        var first = span.IndexOf('.');
        var last = span.LastIndexOf('.');
        if (dots != 2 || first == 0 || last == first + 1)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token is not a compact JWS (three base64url parts separated by dots).");
        }

        if (last == token.Length - 1)
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, "The token is unsigned; a signature is required.");
        }

        var header = ReadHeader(span[..first], encrypted: false);
        facts = ReadPayload(span[(first + 1)..last]);

        // Note: the signature is decoded by Microsoft.IdentityModel, whose decoder tolerates padding; the alphabet is checked here.
        CheckAlphabet(span[(last + 1)..], "signature");
        return header;
    }

    private SourceToken ReadHeader(ReadOnlySpan<char> encoded, bool encrypted)
    {
        var header = new HeaderReader(encrypted);
        Read(encoded, "header", ref header);
        if (header.Problem is { } problem)
        {
            throw problem;
        }

        if (header.Algorithm is not { } alg)
        {
            throw Refuse(TokenConversionFailure.Malformed, "The token header has no 'alg'.");
        }

        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(TokenConversionFailure.AlgorithmNotAllowed, "The token is unsigned (alg 'none'); a signature is required.");
        }

        // Note: a JWE header's kid names the decryption key, not a signing key; the inner token's kid is checked by validation.
        return new SourceToken(alg, encrypted ? null : header.KeyId, header.Type, encrypted);
    }

    /// <summary>
    /// Decodes one part of the token and scans its JSON once: refused unless it is strict base64url of valid UTF-8 holding
    /// one JSON object with no duplicate names and bounded depth; <paramref name="visitor"/> sees its top-level properties.
    /// </summary>
    [SkipLocalsInit]
    private void Read<TVisitor>(ReadOnlySpan<char> part, string what, ref TVisitor visitor)
        where TVisitor : struct, IJsonPropertyVisitor
    {
        CheckAlphabet(part, what);

        byte[]? rented = null;
#if NET9_0_OR_GREATER
        var maxLength = Base64Url.GetMaxDecodedLength(part.Length);
        var buffer = maxLength <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
#endif
        try
        {
            scoped Span<byte> json;
            try
            {
#if NET9_0_OR_GREATER
                json = buffer[..Base64Url.DecodeFromChars(part, buffer)];
#else
                json = Base64UrlEncoder.DecodeBytes(part.ToString());
#endif
            }
            catch (FormatException ex)
            {
                throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid base64url.", ex);
            }

            // Note: JSON strings are transcoded as they are read (alg, kid, iss); invalid UTF-8 is refused here, once, for the whole part.
            if (!System.Text.Unicode.Utf8.IsValid(json))
            {
                throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid UTF-8.");
            }

            switch (JsonGuard.Check(json, _options.MaxJsonDepth, ref visitor))
            {
                case JsonGuard.Verdict.Ok:
                    return;
                case JsonGuard.Verdict.DuplicateKey:
                    throw Refuse(TokenConversionFailure.DuplicateJsonKey, $"The token {what} names a JSON property more than once.");
                case JsonGuard.Verdict.TooDeep:
                    throw Refuse(TokenConversionFailure.NestingTooDeep, $"The token {what} nests JSON deeper than {_options.MaxJsonDepth} levels.");
                case JsonGuard.Verdict.InvalidString:
                    throw Refuse(TokenConversionFailure.Malformed, $"The token {what} holds a string that is not valid Unicode (an escaped lone surrogate).");
                default:
                    throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not one JSON object.");
            }
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

    /// <summary>
    /// Refuses a part that is not canonical unpadded base64url: padding, whitespace or '+' and '/' (which lenient decoders
    /// accept), a length no encoding produces, and non-zero unused bits in the last character.
    /// </summary>
    private static void CheckAlphabet(ReadOnlySpan<char> part, string what)
    {
        if (Base64UrlText.Problem(part) is { } problem)
        {
            throw Refuse(TokenConversionFailure.Malformed, $"The token {what} is not valid base64url ({problem}).");
        }
    }

    private readonly record struct SourceToken(string Algorithm, string? KeyId, string? Type, bool Encrypted);

    /// <summary>The header rules, applied as the header is scanned; the first problem is kept and reported after the scan's own verdict.</summary>
    private struct HeaderReader(bool encrypted) : IJsonPropertyVisitor
    {
        public string? Algorithm;
        public string? KeyId;
        public string? Type;
        public TokenConversionException? Problem;

        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
            if (Problem is not null)
            {
                return;
            }

            if (name.SequenceEqual("crit"u8))
            {
                Problem = Refuse(TokenConversionFailure.UnsupportedCriticalHeader, "The token header marks extensions as critical ('crit'); none is implemented, so it must be refused (RFC 7515 §4.1.11).");
            }
            else if (name.SequenceEqual("jku"u8) || name.SequenceEqual("x5u"u8) || name.SequenceEqual("jwk"u8))
            {
                Problem = Refuse(TokenConversionFailure.UntrustedKeyReference, $"The token header carries '{System.Text.Encoding.ASCII.GetString(name)}'; key references in a token are never dereferenced nor trusted (RFC 8725 §3.10).");
            }
            else if (!encrypted && name.SequenceEqual("zip"u8))
            {
                Problem = Refuse(TokenConversionFailure.Malformed, "The token header carries 'zip', which a JWS must not.");
            }
            else if (name.SequenceEqual("alg"u8))
            {
                Algorithm = ReadString(reader);
            }
            else if (name.SequenceEqual("kid"u8))
            {
                KeyId = ReadString(reader);
            }
            else if (name.SequenceEqual("typ"u8))
            {
                Type = ReadString(reader);
            }
        }

        private string? ReadString(Utf8JsonReader value)
        {
            try
            {
                if (value.Read() && value.TokenType == JsonTokenType.String)
                {
                    return value.GetString();
                }

                Problem = Refuse(TokenConversionFailure.Malformed, "The token header's 'alg', 'kid' and 'typ' must be strings.");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                Problem = Refuse(TokenConversionFailure.Malformed, "The token header is not well-formed JSON.");
            }

            return null;
        }
    }
}
