using System;
using System.Globalization;
using System.Security.Cryptography;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>A parsed <see cref="TokenExchangeClient.SecretHash"/>, checked once at start.</summary>
internal sealed class ClientSecretHash
{
    // Note: derived for a client id that is not registered, so that an unknown id costs the same work as a known one.
    public static readonly ClientSecretHash Decoy = new(RandomNumberGenerator.GetBytes(TokenExchangeClientSecret.SaltBytes), RandomNumberGenerator.GetBytes(TokenExchangeClientSecret.HashBytes), TokenExchangeClientSecret.Iterations);

    private readonly byte[] _salt;
    private readonly byte[] _hash;
    private readonly int _iterations;

    private ClientSecretHash(byte[] salt, byte[] hash, int iterations)
    {
        _salt = salt;
        _hash = hash;
        _iterations = iterations;
    }

    /// <summary>Parses a hash; <paramref name="problem"/> says what is wrong without quoting it.</summary>
    public static ClientSecretHash? TryParse(string value, out string? problem)
    {
        var parts = value.Split('$');
        if (parts.Length != 4 || !string.Equals(parts[0], TokenExchangeClientSecret.Scheme, StringComparison.Ordinal))
        {
            problem = $"is not a hash made by TokenExchangeClientSecret.Hash ({TokenExchangeClientSecret.Scheme}$iterations$salt$hash)";
            return null;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < TokenExchangeClientSecret.MinIterations || iterations > TokenExchangeClientSecret.MaxIterations)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"has an iteration count outside {TokenExchangeClientSecret.MinIterations} to {TokenExchangeClientSecret.MaxIterations}");
            return null;
        }

        var salt = new byte[TokenExchangeClientSecret.SaltBytes];
        var hash = new byte[TokenExchangeClientSecret.HashBytes];
        if (!Convert.TryFromBase64String(parts[2], salt, out var saltLength) || saltLength != salt.Length
            || !Convert.TryFromBase64String(parts[3], hash, out var hashLength) || hashLength != hash.Length)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"does not hold a base64 salt of {TokenExchangeClientSecret.SaltBytes} bytes and a base64 hash of {TokenExchangeClientSecret.HashBytes} bytes");
            return null;
        }

        problem = null;
        return new ClientSecretHash(salt, hash, iterations);
    }

    public bool Matches(string secret) =>
        CryptographicOperations.FixedTimeEquals(TokenExchangeClientSecret.Derive(secret, _salt, _iterations), _hash);
}
