using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// Hashes client secrets for <see cref="TokenExchangeClient.SecretHash"/>: PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2),
/// a random 128-bit salt and <see cref="Iterations"/> iterations, by <see cref="Rfc2898DeriveBytes"/>.
/// </summary>
/// <remarks>
/// The hash reads <c>pbkdf2-sha256${iterations}${salt, base64}${hash, base64}</c>. The endpoint derives the hash of
/// the presented secret and compares the two with <see cref="CryptographicOperations.FixedTimeEquals"/>; for an unknown
/// client id it derives a hash all the same, so an answer takes as long whether the client exists or not.
/// </remarks>
/// <example>
/// <code>
/// // once, offline: store the result in configuration, never the secret
/// var hash = TokenExchangeClientSecret.Hash(Environment.GetEnvironmentVariable("BILLING_CLIENT_SECRET")!);
/// </code>
/// </example>
public static class TokenExchangeClientSecret
{
    /// <summary>The iterations of a hash made by <see cref="Hash"/>: 100,000.</summary>
    public const int Iterations = 100_000;

    /// <summary>The shortest secret accepted, in characters: 16. Generate secrets of 32 random bytes or more.</summary>
    public const int MinSecretLength = 16;

    internal const string Scheme = "pbkdf2-sha256";
    internal const int MinIterations = 10_000;
    internal const int MaxIterations = 5_000_000;
    internal const int SaltBytes = 16;
    internal const int HashBytes = 32;

    /// <summary>Hashes <paramref name="secret"/> with a fresh random salt.</summary>
    /// <param name="secret">The client secret, at least <see cref="MinSecretLength"/> characters.</param>
    /// <returns>The hash, for <see cref="TokenExchangeClient.SecretHash"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is shorter than <see cref="MinSecretLength"/> characters.</exception>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinSecretLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A client secret must be at least {MinSecretLength} characters long; generate one of 32 random bytes or more."), nameof(secret));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(secret, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    internal static byte[] Derive(string secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
