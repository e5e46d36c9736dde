using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Cli.Internal;

/// <summary>How the client authenticates: a secret (client_secret_basic) or a key that signs client assertions (private_key_jwt).</summary>
internal sealed class ExchangeCredential
{
    /// <summary>How long a client assertion is valid (RFC 7523 §3: short-lived, with a fresh jti).</summary>
    public static readonly TimeSpan AssertionLifetime = TimeSpan.FromSeconds(60);

    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly TokenSigningKey? _key;
    private readonly string? _assertionAudience;

    private ExchangeCredential(string? secret, TokenSigningKey? key, string? assertionAudience)
    {
        Secret = secret;
        _key = key;
        _assertionAudience = assertionAudience;
    }

    /// <summary>Gets the client secret, or <see langword="null"/> for private_key_jwt.</summary>
    public string? Secret { get; }

    public static ExchangeCredential FromSecret(string secret) => new(secret, null, null);

    public static ExchangeCredential FromKey(TokenSigningKey key, string audience) =>
        key.Key is SymmetricSecurityKey
            ? throw CliException.Usage("--key holds an HMAC key; private_key_jwt needs an RSA or EC private key.")
            : new(null, key, audience);

    /// <summary>Signs a client assertion (RFC 7523 §2.2, §3): iss = sub = the client id, aud, iat, exp, a fresh 128-bit jti.</summary>
    public string CreateAssertion(string clientId)
    {
        var now = DateTimeOffset.UtcNow;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", clientId);
            writer.WriteString("sub", clientId);
            writer.WriteString("aud", _assertionAudience);
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("exp", now.Add(AssertionLifetime).ToUnixTimeSeconds());
            writer.WriteString("jti", Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
            writer.WriteEndObject();
        }

        return s_handler.CreateToken(Encoding.UTF8.GetString(buffer.WrittenSpan), _key!.Credentials);
    }
}
