using System;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>Turns a private JWK (RFC 7517, RFC 7518 §6) into a platform key.</summary>
internal static class JwkImport
{
    public static (SecurityKey Key, string? Algorithm, string? KeyId) Read(string json)
    {
        JsonWebKey jwk;
        try
        {
            jwk = new JsonWebKey(json);
        }
        catch (ArgumentException ex)
        {
            throw new SigningKeyException("The JWK is not valid JSON.", ex);
        }

        return (ToSecurityKey(jwk), Empty(jwk.Alg), Empty(jwk.Kid));
    }

    public static SecurityKey ToSecurityKey(JsonWebKey jwk)
    {
        try
        {
            switch (jwk.Kty)
            {
                case JsonWebAlgorithmsKeyTypes.RSA:
                    RequirePrivate(jwk.D, "RSA");
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters
                    {
                        Modulus = Decode(jwk.N, "n"),
                        Exponent = Decode(jwk.E, "e"),
                        D = Decode(jwk.D, "d"),
                        P = Decode(jwk.P, "p"),
                        Q = Decode(jwk.Q, "q"),
                        DP = Decode(jwk.DP, "dp"),
                        DQ = Decode(jwk.DQ, "dq"),
                        InverseQ = Decode(jwk.QI, "qi"),
                    });
                    return new RsaSecurityKey(rsa) { KeyId = Empty(jwk.Kid) };

                case JsonWebAlgorithmsKeyTypes.EllipticCurve:
                    RequirePrivate(jwk.D, "EC");
                    var curve = jwk.Crv switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => throw new SigningKeyException($"The JWK curve '{jwk.Crv}' is not supported; use P-256, P-384 or P-521."),
                    };
                    var ec = ECDsa.Create(new ECParameters
                    {
                        Curve = curve,
                        Q = new ECPoint { X = Decode(jwk.X, "x"), Y = Decode(jwk.Y, "y") },
                        D = Decode(jwk.D, "d"),
                    });
                    return new ECDsaSecurityKey(ec) { KeyId = Empty(jwk.Kid) };

                case JsonWebAlgorithmsKeyTypes.Octet:
                    return new SymmetricSecurityKey(Decode(jwk.K, "k")) { KeyId = Empty(jwk.Kid) };

                default:
                    throw new SigningKeyException($"The JWK key type '{jwk.Kty}' is not supported; use RSA, EC or oct.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new SigningKeyException($"The {jwk.Kty} JWK parameters do not form a valid key.", ex);
        }
    }

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
        catch (FormatException ex)
        {
            throw new SigningKeyException($"The JWK member '{member}' is not valid base64url.", ex);
        }
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
