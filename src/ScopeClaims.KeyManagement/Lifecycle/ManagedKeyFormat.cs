using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text.Unicode;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using ScopeClaims.Internal;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>
/// The store entry of a managed key: a small JSON envelope holding the generation and the Data Protection ciphertext of
/// the key's record (generation, kid, algorithm, times and the private JWK). Everything that matters is inside the
/// ciphertext, so it is authenticated; the envelope's generation is only compared with it.
/// </summary>
internal static class ManagedKeyFormat
{
    /// <summary>The Data Protection purpose: a key ring's protector for managed keys decrypts nothing else.</summary>
    public const string Purpose = "ScopeClaims.KeyManagement.SigningKey.v1";

    /// <summary>Entries are small (an RSA 2048 key is about 2 KiB of ciphertext); anything above this is refused unread.</summary>
    public const int MaxEntryBytes = 64 * 1024;

    private const string Format = "scopeclaims.managed-key";
    private const int Version = 1;

    public static readonly string[] Algorithms = ["RS256", "PS256", "ES256"];

    public static IDataProtector CreateProtector(IDataProtectionProvider provider) => provider.CreateProtector(Purpose);

    public static byte[] Write(ManagedKey key, IDataProtector protector)
    {
        var record = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(record))
        {
            writer.WriteStartObject();
            writer.WriteNumber("generation", key.Generation);
            writer.WriteString("kid", key.Key.KeyId);
            writer.WriteString("alg", key.Key.Algorithm);
            writer.WriteNumber("created", key.Created.ToUnixTimeSeconds());
            writer.WriteNumber("activates", key.Activates.ToUnixTimeSeconds());
            writer.WriteNumber("expires", key.Expires.ToUnixTimeSeconds());
            writer.WritePropertyName("key");
            writer.WriteRawValue(key.Key.ExportPrivateJwk(), skipInputValidation: true);
            writer.WriteEndObject();
        }

        byte[] ciphertext;
        var plaintext = record.WrittenSpan.ToArray();
        try
        {
            ciphertext = protector.Protect(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            record.Clear();
        }

        var envelope = new ArrayBufferWriter<byte>(ciphertext.Length * 2);
        using (var writer = new Utf8JsonWriter(envelope))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("version", Version);
            writer.WriteNumber("generation", key.Generation);
            writer.WriteBase64String("protected", ciphertext);
            writer.WriteEndObject();
        }

        return envelope.WrittenSpan.ToArray();
    }

    /// <summary>Reads and checks an entry.</summary>
    /// <exception cref="SigningKeyEntryException">The entry is refused; the message names the store and generation only.</exception>
    public static ManagedKey Read(StoredSigningKey entry, IDataProtector protector, string store)
    {
        var generation = entry.Generation;
        var ciphertext = ReadEnvelope(entry, store);
        byte[] plaintext;
        try
        {
            plaintext = protector.Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            // Note: Data Protection's message names its own key ids, not material; it is still not kept, as everywhere.
            throw Refused(SigningKeyEntryProblem.Undecryptable, generation, store, "Data Protection could not decrypt it: the key ring differs from the one that wrote it (another application name or key directory), its key was lost or revoked, or the ciphertext is damaged. Configure the same Data Protection key ring on every host");
        }

        try
        {
            return ReadRecord(plaintext, generation, store);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] ReadEnvelope(StoredSigningKey entry, string store)
    {
        var generation = entry.Generation;
        var data = entry.Data;
        if (data.Length > MaxEntryBytes)
        {
            throw Refused(SigningKeyEntryProblem.Malformed, generation, store, $"it is larger than {MaxEntryBytes} bytes");
        }

        var visitor = default(NoVisitor);
        if (!Utf8.IsValid(data) || JsonGuard.Check(data, 4, ref visitor) != JsonGuard.Verdict.Ok)
        {
            throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "it is not a single well-formed JSON object with unique member names (truncated or damaged)");
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || !format.ValueEquals(Format)
                || !root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var v) || v != Version)
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, $"it is not a version {Version} '{Format}' entry");
            }

            if (!root.TryGetProperty("generation", out var g) || !g.TryGetInt64(out var declared) || declared != generation)
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "the generation it declares is not the one it is stored under");
            }

            if (!root.TryGetProperty("protected", out var p) || p.ValueKind != JsonValueKind.String || !p.TryGetBytesFromBase64(out var ciphertext) || ciphertext.Length == 0)
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "its 'protected' member is missing or not base64");
            }

            return ciphertext;
        }
        catch (JsonException)
        {
            throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "it is not well-formed JSON");
        }
    }

    private static ManagedKey ReadRecord(byte[] plaintext, long generation, string store)
    {
        try
        {
            using var document = JsonDocument.Parse(plaintext);
            var root = document.RootElement;
            if (!root.TryGetProperty("generation", out var g) || !g.TryGetInt64(out var declared) || declared != generation)
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "the generation inside the ciphertext is not the one it is stored under (an entry copied to another slot)");
            }

            var kid = String(root, "kid", generation, store);
            var alg = String(root, "alg", generation, store);
            var created = Time(root, "created", generation, store);
            var activates = Time(root, "activates", generation, store);
            var expires = Time(root, "expires", generation, store);
            if (created > activates || activates >= expires)
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "its times are impossible (it must be created no later than it activates, and activate before it expires)");
            }

            if (Array.IndexOf(Algorithms, alg) < 0)
            {
                throw Refused(SigningKeyEntryProblem.KeyNotAllowed, generation, store, $"its algorithm '{alg}' is not one managed keys use ({string.Join(", ", Algorithms)})");
            }

            if (!root.TryGetProperty("key", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "it holds no key");
            }

            TokenSigningKey key;
            try
            {
                key = TokenSigningKey.FromJwk(jwk.GetRawText(), alg);
            }
            catch (SigningKeyException ex)
            {
                // Note: the core's messages never quote key material.
                throw Refused(SigningKeyEntryProblem.KeyNotAllowed, generation, store, $"its key was refused for {alg}: {ex.Message}");
            }

            if (key.IsSymmetric || !string.Equals(key.KeyId, kid, StringComparison.Ordinal))
            {
                throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "its key does not carry the key id the entry declares");
            }

            return new ManagedKey(generation, key, created, activates, expires);
        }
        catch (JsonException)
        {
            throw Refused(SigningKeyEntryProblem.Malformed, generation, store, "its decrypted record is not well-formed JSON");
        }
    }

    private static string String(JsonElement root, string name, long generation, string store) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Refused(SigningKeyEntryProblem.Malformed, generation, store, $"its '{name}' is missing or empty");

    private static DateTimeOffset Time(JsonElement root, string name, long generation, string store) =>
        root.TryGetProperty(name, out var value) && value.TryGetInt64(out var seconds) && seconds >= 0 && seconds <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw Refused(SigningKeyEntryProblem.Malformed, generation, store, $"its '{name}' is not a time in Unix seconds");

    private static SigningKeyEntryException Refused(SigningKeyEntryProblem problem, long generation, string store, string why) =>
        new(problem, generation, $"The entry of generation {generation} in the {store} was refused ({problem}): {why}. It was left as it is, and no key was created in its place.");

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
