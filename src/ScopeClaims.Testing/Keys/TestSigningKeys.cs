using System;
using System.Linq;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing;

/// <summary>
/// Signing keys for tests, made at random once per test run (never stored, never valid outside the process), with
/// their public JWKS. Never use them outside tests.
/// </summary>
/// <remarks>
/// <see cref="Rsa"/>, <see cref="Ec"/> and <see cref="Hmac"/> are made on first use and shared by every test of the run,
/// so a test suite pays for one RSA key generation; <see cref="Create"/> makes a fresh key when a test needs its own
/// (for rotation, or a key the partner does not know). Key ids are RFC 7638 thumbprints.
/// </remarks>
public static class TestSigningKeys
{
    private static readonly Lazy<TokenSigningKey> s_rsa = new(() => TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256));
    private static readonly Lazy<TokenSigningKey> s_ec = new(() => TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256));
    private static readonly Lazy<TokenSigningKey> s_hmac = new(() => TokenSigningKey.Generate(SecurityAlgorithms.HmacSha256));

    /// <summary>Gets this run's RSA 2048 key, signing RS256.</summary>
    public static TokenSigningKey Rsa => s_rsa.Value;

    /// <summary>Gets this run's EC P-256 key, signing ES256.</summary>
    public static TokenSigningKey Ec => s_ec.Value;

    /// <summary>Gets this run's 256-bit HMAC key, signing HS256. It never appears in a JWKS; verify with <see cref="ScopeTokenAssertions.IsValidAgainst"/>.</summary>
    public static TokenSigningKey Hmac => s_hmac.Value;

    /// <summary>Gets the public JWKS of <see cref="Rsa"/> and <see cref="Ec"/>.</summary>
    public static string PublicJwks => ExportPublicJwks(Rsa, Ec);

    /// <summary>Makes a fresh random key.</summary>
    /// <param name="algorithm">RS, PS, ES or HS with 256, 384 or 512.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the RFC 7638 thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The algorithm is not supported.</exception>
    public static TokenSigningKey Create(string algorithm = SecurityAlgorithms.RsaSha256, string? keyId = null) =>
        TokenSigningKey.Generate(algorithm, keyId);

    /// <summary>Writes the public JWKS of some keys; HMAC keys are left out, as they are secret.</summary>
    /// <param name="keys">The keys; at least one.</param>
    /// <returns>The JWKS JSON.</returns>
    public static string ExportPublicJwks(params TokenSigningKey[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0)
        {
            throw new ArgumentException("Pass at least one key.", nameof(keys));
        }

        return new SigningKeySet(keys[0], keys.Skip(1)).ExportPublicJwks();
    }
}
