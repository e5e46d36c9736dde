using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// Turns a private JWK (RFC 7517, RFC 7518 §6) into a platform key. Every failure is a <see cref="SigningKeyException"/>
/// whose message this class writes and which has no inner exception: the platform's exceptions may quote the JSON, and
/// with it the private members.
/// </summary>
internal static partial class JwkImport
{
    private const int MaxDepth = 8;

    public static (SecurityKey Key, string? Algorithm, string? KeyId) Read(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        try
        {
            // Note: the JSON is checked before Microsoft.IdentityModel reads it, so that its parser (whose errors and
            // logs quote the input) only ever sees a well-formed object with members of the right types.
            var shape = default(JwkShape);
            switch (JsonGuard.Check(utf8, MaxDepth, ref shape))
            {
                case JsonGuard.Verdict.NotAnObject:
                    throw new SigningKeyException("The JWK is not a JSON object.");
                case JsonGuard.Verdict.Malformed:
                    throw new SigningKeyException("The JWK is not well-formed JSON (RFC 8259): check for a trailing comma, a comment, single quotes or a truncated file.");
                case JsonGuard.Verdict.DuplicateKey:
                    throw new SigningKeyException("The JWK names a member twice; which value counts would depend on the parser, so it is refused.");
                case JsonGuard.Verdict.TooDeep:
                    throw new SigningKeyException($"The JWK nests deeper than {MaxDepth} levels.");
            }

            if (shape.IsSet)
            {
                throw new SigningKeyException("The JSON is a JWK set (it has a 'keys' member), not one JWK; a signing key must be a single private JWK, so that which key signs is never a guess.");
            }

            if (shape.MultiPrime)
            {
                throw MultiPrime();
            }

            if (shape.WrongType is { } member)
            {
                throw new SigningKeyException($"The JWK member '{member}' has the wrong JSON type (RFC 7517 §4, RFC 7518 §6).");
            }

            JsonWebKey jwk;
            try
            {
                jwk = new JsonWebKey(json);
            }
            catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or InvalidOperationException or OverflowException)
            {
                throw new SigningKeyException($"The JWK could not be read ({ex.GetType().Name}).");
            }

            if (shape.HasKeyOps && jwk.KeyOps.Count == 0)
            {
                throw new SigningKeyException("The JWK's 'key_ops' is empty: it allows no operation, so it cannot sign (RFC 7517 §4.3).");
            }

            return (ToSecurityKey(jwk), Empty(jwk.Alg), Empty(jwk.Kid));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    public static SecurityKey ToSecurityKey(JsonWebKey jwk)
    {
        RequireSigningUse(jwk);
        switch (jwk.Kty)
        {
            case JsonWebAlgorithmsKeyTypes.RSA:
                return ImportRsa(jwk);

            case JsonWebAlgorithmsKeyTypes.EllipticCurve:
                RequirePrivate(jwk.D, "EC");
                var curve = jwk.Crv switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => throw new SigningKeyException($"The JWK curve {SigningKeyRules.Quote(jwk.Crv)} is not supported; use P-256, P-384 or P-521."),
                };
                var parameters = new ECParameters
                {
                    Curve = curve,
                    Q = new ECPoint { X = Decode(jwk.X, "x"), Y = Decode(jwk.Y, "y") },
                    D = Decode(jwk.D, "d"),
                };
                try
                {
                    return new ECDsaSecurityKey(ECDsa.Create(parameters)) { KeyId = Empty(jwk.Kid) };
                }
                catch (CryptographicException ex)
                {
                    throw new SigningKeyException($"The EC JWK parameters do not form a valid key on {jwk.Crv} ({ex.GetType().Name}).");
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(parameters.D);
                }

            case JsonWebAlgorithmsKeyTypes.Octet:
                return new SymmetricSecurityKey(Decode(jwk.K, "k")) { KeyId = Empty(jwk.Kid) };

            case null or "":
                throw new SigningKeyException("The JWK has no 'kty' member (RFC 7517 §4.1).");

            default:
                throw new SigningKeyException($"The JWK key type {SigningKeyRules.Quote(jwk.Kty)} is not supported; use RSA, EC or oct.");
        }
    }

    private static RsaSecurityKey ImportRsa(JsonWebKey jwk)
    {
        RequirePrivate(jwk.D, "RSA");
        if (jwk.Oth is { Count: > 0 })
        {
            throw MultiPrime();
        }

        // Note: RFC 7518 §6.3.2 lets a private RSA JWK carry d alone; the platforms import only keys with their CRT
        // parameters, and recovering p and q from d is cryptography this library does not write itself.
        var crt = new[] { jwk.P, jwk.Q, jwk.DP, jwk.DQ, jwk.QI };
        if (crt.All(string.IsNullOrEmpty))
        {
            throw new SigningKeyException("The RSA JWK has 'd' without the CRT parameters 'p', 'q', 'dp', 'dq' and 'qi'. RFC 7518 §6.3.2 allows it, but the platform cannot import such a key; export the key again with all its private parameters (every common tool writes them).");
        }

        if (crt.Any(string.IsNullOrEmpty))
        {
            throw new SigningKeyException("The RSA JWK has some of 'p', 'q', 'dp', 'dq' and 'qi' but not all; RFC 7518 §6.3.2 requires all of them when any is present.");
        }

        var parameters = new RSAParameters
        {
            Modulus = Decode(jwk.N, "n"),
            Exponent = Decode(jwk.E, "e"),
            D = Decode(jwk.D, "d"),
            P = Decode(jwk.P, "p"),
            Q = Decode(jwk.Q, "q"),
            DP = Decode(jwk.DP, "dp"),
            DQ = Decode(jwk.DQ, "dq"),
            InverseQ = Decode(jwk.QI, "qi"),
        };
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
            return new RsaSecurityKey(rsa) { KeyId = Empty(jwk.Kid) };
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new SigningKeyException($"The RSA JWK parameters do not form a valid key ({ex.GetType().Name}).");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
            CryptographicOperations.ZeroMemory(parameters.P);
            CryptographicOperations.ZeroMemory(parameters.Q);
            CryptographicOperations.ZeroMemory(parameters.DP);
            CryptographicOperations.ZeroMemory(parameters.DQ);
            CryptographicOperations.ZeroMemory(parameters.InverseQ);
        }
    }

    /// <summary>A key marked for encryption, or whose operations do not include signing, never signs (RFC 7517 §4.2, §4.3).</summary>
    private static void RequireSigningUse(JsonWebKey jwk)
    {
        if (!string.IsNullOrEmpty(jwk.Use) && !string.Equals(jwk.Use, JsonWebKeyUseNames.Sig, StringComparison.Ordinal))
        {
            throw new SigningKeyException($"The JWK is marked 'use': {SigningKeyRules.Quote(jwk.Use)}; only a key marked 'sig' (or unmarked) signs (RFC 7517 §4.2).");
        }

        if (jwk.KeyOps.Count > 0 && !jwk.KeyOps.Contains(KeyOperations.Sign, StringComparer.Ordinal))
        {
            throw new SigningKeyException("The JWK's 'key_ops' does not include 'sign'; it cannot sign (RFC 7517 §4.3).");
        }
    }

    private static SigningKeyException MultiPrime() =>
        new("The RSA JWK has 'oth': a multi-prime key (RFC 7518 §6.3.2.7), which the platform cannot import; use a two-prime RSA key.");

    private static void RequirePrivate(string? d, string kind)
    {
        if (string.IsNullOrEmpty(d))
        {
            throw new SigningKeyException($"The {kind} JWK is public-only (no 'd'); signing needs the private key.");
        }
    }

    private static byte[] Decode(string? value, string member)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new SigningKeyException($"The JWK lacks the '{member}' member.");
        }

        try
        {
            return Base64UrlEncoder.DecodeBytes(value);
        }
        catch (FormatException)
        {
            throw new SigningKeyException($"The JWK member '{member}' is not valid base64url.");
        }
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The names of RFC 7517 §4.3 key operations.</summary>
    private static class KeyOperations
    {
        public const string Sign = "sign";
    }
}
