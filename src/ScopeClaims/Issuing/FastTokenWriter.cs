using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
#if NET9_0_OR_GREATER
using System.Buffers.Text;
#else
using Microsoft.IdentityModel.Tokens;
#endif

namespace ScopeClaims.Internal;

/// <summary>
/// Writes a compact JWS without intermediate objects: the payload with <see cref="Utf8JsonWriter"/> into a reused
/// per-thread buffer, the header encoded once per key, base64url from the platform, and the signature from
/// <see cref="TokenSigningKey.Sign"/>. Produces the same claims as <c>JsonWebTokenHandler.CreateToken</c> (a property
/// test checks this); the issuer falls back to that handler for claim values this writer does not know.
/// </summary>
internal static class FastTokenWriter
{
    // Note: above this, a thread's payload buffer is dropped after use rather than kept.
    private const int MaxRetainedBuffer = 64 * 1024;

    private static readonly JsonEncodedText Iss = JsonEncodedText.Encode("iss");
    private static readonly JsonEncodedText Aud = JsonEncodedText.Encode("aud");
    private static readonly JsonEncodedText Sub = JsonEncodedText.Encode("sub");
    private static readonly JsonEncodedText Jti = JsonEncodedText.Encode("jti");
    private static readonly JsonEncodedText Iat = JsonEncodedText.Encode("iat");
    private static readonly JsonEncodedText Nbf = JsonEncodedText.Encode("nbf");
    private static readonly JsonEncodedText Exp = JsonEncodedText.Encode("exp");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static bool CanWrite(IReadOnlyDictionary<string, object>? claims)
    {
        if (claims is null)
        {
            return true;
        }

        foreach (var (_, value) in claims)
        {
            if (!IsSupported(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The base64url header <c>{"alg":...,"kid":...,"typ":...}</c>, as ASCII bytes.</summary>
    public static byte[] EncodeHeader(TokenSigningKey key, string tokenType)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", key.Algorithm);
            writer.WriteString("kid", key.KeyId);
            writer.WriteString("typ", tokenType);
            writer.WriteEndObject();
        }

        var encoded = new byte[EncodedLength(buffer.WrittenCount)];
        EncodeToUtf8(buffer.WrittenSpan, encoded);
        return encoded;
    }

    public static string Write(byte[] header, TokenSigningKey key, in Payload payload)
    {
        var input = RentSigningInput(header, key.MaxSignatureSize, payload, out var length);
        try
        {
            return SignAndCompose(key, input, length);
        }
        finally
        {
            ReturnSigningInput(input);
        }
    }

    /// <summary>Signs the signing input at the start of <paramref name="input"/> into the room after it, synchronously, and returns the compact JWS.</summary>
    public static string SignAndCompose(TokenSigningKey key, byte[] input, int length)
    {
        var signatureLength = key.Sign(input.AsSpan(0, length), input.AsSpan(length, key.MaxSignatureSize));
        return Compose(input, length, signatureLength);
    }

    /// <summary>
    /// Writes the JWS signing input (<c>header '.' BASE64URL(payload)</c>) into a pooled buffer with
    /// <paramref name="signatureRoom"/> bytes free after it, for a signature that comes later (a remote signer).
    /// Return the buffer with <see cref="ReturnSigningInput"/>.
    /// </summary>
    public static byte[] RentSigningInput(byte[] header, int signatureRoom, in Payload payload, out int length)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            // Note: the payload's structure is fixed by WritePayload, so the writer's structural checks are skipped; its
            // escaping is not. Every fast-path token is validated by JsonWebTokenHandler in the property tests.
            writer = t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            writer.Reset(buffer);
        }
        try
        {
            WritePayload(writer, payload);
            writer.Flush();
            return RentSigningInput(header, buffer.WrittenSpan, signatureRoom, out length);
        }
        finally
        {
            if (buffer.Capacity > MaxRetainedBuffer)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>The signing input of a payload already in base64url (written by Microsoft.IdentityModel), in a pooled buffer as above.</summary>
    public static byte[] RentSigningInput(byte[] header, string encodedPayload, int signatureRoom, out int length)
    {
        length = header.Length + 1 + encodedPayload.Length;
        var input = ArrayPool<byte>.Shared.Rent(length + signatureRoom);
        header.CopyTo(input, 0);
        input[header.Length] = (byte)'.';
        Encoding.ASCII.GetBytes(encodedPayload, input.AsSpan(header.Length + 1));
        return input;
    }

    public static void ReturnSigningInput(byte[] input) => ArrayPool<byte>.Shared.Return(input);

    /// <summary>The compact JWS from a buffer holding the signing input followed by the signature.</summary>
    public static string Compose(byte[] input, int inputLength, int signatureLength) =>
        string.Create(inputLength + 1 + EncodedLength(signatureLength), (input, inputLength, signatureLength), static (chars, state) =>
        {
            var (bytes, length, sigLength) = state;
            Encoding.ASCII.GetChars(bytes.AsSpan(0, length), chars);
            chars[length] = '.';
            EncodeToChars(bytes.AsSpan(length, sigLength), chars[(length + 1)..]);
        });

    /// <summary>The signing input of a payload in JSON, in a pooled buffer as above.</summary>
    public static byte[] RentSigningInput(byte[] header, ReadOnlySpan<byte> payloadJson, int signatureRoom, out int length)
    {
        length = header.Length + 1 + EncodedLength(payloadJson.Length);
        var input = ArrayPool<byte>.Shared.Rent(length + signatureRoom);
        header.CopyTo(input, 0);
        input[header.Length] = (byte)'.';
        EncodeToUtf8(payloadJson, input.AsSpan(header.Length + 1, length - header.Length - 1));
        return input;
    }

    private static void WritePayload(Utf8JsonWriter writer, in Payload p)
    {
        writer.WriteStartObject();
        writer.WriteString(Iss, p.Issuer);
        if (p.Audiences.Length == 1)
        {
            writer.WriteString(Aud, p.Audiences[0]);
        }
        else
        {
            writer.WriteStartArray(Aud);
            foreach (var audience in p.Audiences)
            {
                writer.WriteStringValue(audience);
            }

            writer.WriteEndArray();
        }

        if (p.Subject is not null)
        {
            writer.WriteString(Sub, p.Subject);
        }

        if (p.IncludeJwtId)
        {
            Span<byte> id = stackalloc byte[22];
            EncodeToUtf8(JwtIdRandom.Next(), id);
            writer.WriteString(Jti, id);
        }

        if (p.Claims is { } claims)
        {
            foreach (var (name, value) in claims)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }

        p.Scopes.Write(p.ScopeSet, writer);
        writer.WriteNumber(Iat, p.IssuedAt);
        writer.WriteNumber(Nbf, p.IssuedAt);
        writer.WriteNumber(Exp, p.Expires);
        writer.WriteEndObject();
    }

    private static bool IsSupported(object? value) => value switch
    {
        string or bool or int or long or short or byte or uint or decimal or JsonElement => true,
        double d => double.IsFinite(d),
        float f => float.IsFinite(f),
        IEnumerable<string> => true,
        _ => false,
    };

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case short sh: writer.WriteNumberValue(sh); break;
            case byte by: writer.WriteNumberValue(by); break;
            case uint u: writer.WriteNumberValue(u); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            case JsonElement e: e.WriteTo(writer); break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException("Unsupported claim value; CanWrite should have refused it.");
        }
    }

    private static int EncodedLength(int bytes) => ((bytes * 4) + 2) / 3;

    private static void EncodeToUtf8(ReadOnlySpan<byte> source, Span<byte> destination)
    {
#if NET9_0_OR_GREATER
        Base64Url.EncodeToUtf8(source, destination);
#else
        var chars = ArrayPool<char>.Shared.Rent(destination.Length);
        try
        {
            var written = Base64UrlEncoder.Encode(source, chars);
            Encoding.ASCII.GetBytes(chars.AsSpan(0, written), destination);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
#endif
    }

    private static void EncodeToChars(ReadOnlySpan<byte> source, Span<char> destination)
    {
#if NET9_0_OR_GREATER
        Base64Url.EncodeToChars(source, destination);
#else
        Base64UrlEncoder.Encode(source, destination);
#endif
    }

    /// <summary>What goes into the payload, gathered and checked by the issuer.</summary>
    internal readonly ref struct Payload
    {
        public JsonEncodedText Issuer { get; init; }

        public JsonEncodedText[] Audiences { get; init; }

        public string? Subject { get; init; }

        public bool IncludeJwtId { get; init; }

        public IReadOnlyDictionary<string, object>? Claims { get; init; }

        public IUtf8ScopeWriter Scopes { get; init; }

        public ScopeSet ScopeSet { get; init; }

        public long IssuedAt { get; init; }

        public long Expires { get; init; }
    }
}
