using System;
using System.Globalization;
using System.Security.Cryptography;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>A parsed <see cref="TokenExchangeClient.SecretHash"/>, checked once at start.</summary>
internal sealed class ClientSecretHash
{
    // Note: checked for a client id that is not registered (or has no secret), so every failure does the same work.
    public static readonly ClientSecretHash Decoy = new(RandomNumberGenerator.GetBytes(TokenExchangeClientSecret.SaltBytes), RandomNumberGenerator.GetBytes(TokenExchangeClientSecret.HashBytes));

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private ClientSecretHash(byte[] salt, byte[] hash)
    {
        _salt = salt;
        _hash = hash;
    }

    /// <summary>Parses a hash; <paramref name="problem"/> says what is wrong without quoting it.</summary>
    public static ClientSecretHash? TryParse(string value, out string? problem)
    {
        var parts = value.Split('$');
        if (parts.Length != 3 || !string.Equals(parts[0], TokenExchangeClientSecret.Scheme, StringComparison.Ordinal))
        {
            problem = $"is not a hash made by TokenExchangeClientSecret.Hash ({TokenExchangeClientSecret.Scheme}$salt$hash)";
            return null;
        }

        var salt = new byte[TokenExchangeClientSecret.SaltBytes];
        var hash = new byte[TokenExchangeClientSecret.HashBytes];
        if (!Convert.TryFromBase64String(parts[1], salt, out var saltLength) || saltLength != salt.Length
            || !Convert.TryFromBase64String(parts[2], hash, out var hashLength) || hashLength != hash.Length)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"does not hold a base64 salt of {TokenExchangeClientSecret.SaltBytes} bytes and a base64 hash of {TokenExchangeClientSecret.HashBytes} bytes");
            return null;
        }

        problem = null;
        return new ClientSecretHash(salt, hash);
    }

    public bool Matches(string secret) =>
        CryptographicOperations.FixedTimeEquals(TokenExchangeClientSecret.Mac(secret, _salt), _hash);
}
