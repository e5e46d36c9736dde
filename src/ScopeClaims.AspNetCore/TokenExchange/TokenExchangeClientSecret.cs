using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// Makes and hashes client secrets for <see cref="TokenExchangeClient.SecretHash"/>. Secrets are machine-generated
/// (<see cref="Generate"/>: 32 random bytes), so a fast keyed hash is enough: HMAC-SHA-256 keyed by a random 128-bit
/// salt, which costs the endpoint microseconds per attempt, right or wrong.
/// </summary>
/// <remarks>
/// The hash reads <c>hmac-sha256${salt, base64}${HMAC-SHA-256(salt, UTF-8 secret), base64}</c>. The endpoint computes
/// the HMAC of the presented secret and compares with <see cref="CryptographicOperations.FixedTimeEquals"/>; for an
/// unknown client id it computes one all the same. A secret of 32 random bytes cannot be guessed, so no slow
/// password hash is needed; a human-chosen password is not a client secret.
/// </remarks>
/// <example>
/// <code>
/// // once, offline: give the secret to the client, store only the hash in configuration
/// var secret = TokenExchangeClientSecret.Generate();
/// var hash = TokenExchangeClientSecret.Hash(secret);
/// </code>
/// </example>
public static class TokenExchangeClientSecret
{
    /// <summary>The shortest secret accepted, in characters: 43, the base64url length of 32 bytes.</summary>
    public const int MinSecretLength = 43;

    internal const string Scheme = "hmac-sha256";
    internal const int SaltBytes = 16;
    internal const int HashBytes = 32;
    private const int SecretBytes = 32;

    /// <summary>Makes a new client secret: 32 bytes of <see cref="RandomNumberGenerator"/>, base64url without padding (43 characters).</summary>
    /// <returns>The secret, for the client only; store <see cref="Hash"/> of it.</returns>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Hashes <paramref name="secret"/> with a fresh random salt.</summary>
    /// <param name="secret">The client secret, at least <see cref="MinSecretLength"/> characters (made by <see cref="Generate"/>).</param>
    /// <returns>The hash, for <see cref="TokenExchangeClient.SecretHash"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is shorter than <see cref="MinSecretLength"/> characters.</exception>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinSecretLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A client secret must be at least {MinSecretLength} characters long (32 random bytes, base64url): make one with TokenExchangeClientSecret.Generate()."), nameof(secret));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Convert.ToBase64String(salt)}${Convert.ToBase64String(Mac(secret, salt))}");
    }

    internal static byte[] Mac(string secret, byte[] salt) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));
}
