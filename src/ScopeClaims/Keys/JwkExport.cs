using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>Writes JWKs and JWK sets. Public output carries only kty, use, alg, kid and public parameters.</summary>
internal static class JwkExport
{
    public static JsonWebKey? ToPublicJwk(SecurityKey key, string algorithm)
    {
        switch (key)
        {
            case RsaSecurityKey rsa:
                var rp = rsa.Rsa.ExportParameters(false);
                return new JsonWebKey
                {
                    Kty = JsonWebAlgorithmsKeyTypes.RSA,
                    Use = JsonWebKeyUseNames.Sig,
                    Alg = algorithm,
                    N = Base64UrlEncoder.Encode(rp.Modulus),
                    E = Base64UrlEncoder.Encode(rp.Exponent),
                };
            case ECDsaSecurityKey ec:
                var ep = ec.ECDsa.ExportParameters(false);
                return new JsonWebKey
                {
                    Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
                    Use = JsonWebKeyUseNames.Sig,
                    Alg = algorithm,
                    Crv = SigningKeyRules.CurveName(ec.ECDsa),
                    X = Base64UrlEncoder.Encode(ep.Q.X),
                    Y = Base64UrlEncoder.Encode(ep.Q.Y),
                };
            default:
                return null;
        }
    }

    public static JsonWebKey Clone(JsonWebKey jwk) => new()
    {
        Kty = jwk.Kty,
        Use = jwk.Use,
        Alg = jwk.Alg,
        Kid = jwk.Kid,
        N = jwk.N,
        E = jwk.E,
        Crv = jwk.Crv,
        X = jwk.X,
        Y = jwk.Y,
    };

    public static string WritePublicJwks(IEnumerable<TokenSigningKey> keys)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                if (key.ToPublicJsonWebKey() is { } jwk)
                {
                    WritePublic(writer, jwk);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string WritePrivateJwk(SecurityKey key, string algorithm, string keyId)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            switch (key)
            {
                case RsaSecurityKey rsa:
                    var rp = rsa.Rsa.ExportParameters(true);
                    Head(writer, JsonWebAlgorithmsKeyTypes.RSA, algorithm, keyId);
                    Member(writer, "n", rp.Modulus);
                    Member(writer, "e", rp.Exponent);
                    Member(writer, "d", rp.D);
                    Member(writer, "p", rp.P);
                    Member(writer, "q", rp.Q);
                    Member(writer, "dp", rp.DP);
                    Member(writer, "dq", rp.DQ);
                    Member(writer, "qi", rp.InverseQ);
                    break;
                case ECDsaSecurityKey ec:
                    var ep = ec.ECDsa.ExportParameters(true);
                    Head(writer, JsonWebAlgorithmsKeyTypes.EllipticCurve, algorithm, keyId);
                    writer.WriteString("crv", SigningKeyRules.CurveName(ec.ECDsa));
                    Member(writer, "x", ep.Q.X);
                    Member(writer, "y", ep.Q.Y);
                    Member(writer, "d", ep.D);
                    break;
                case SymmetricSecurityKey symmetric:
                    Head(writer, JsonWebAlgorithmsKeyTypes.Octet, algorithm, keyId);
                    writer.WriteString("k", Base64UrlEncoder.Encode(symmetric.Key));
                    break;
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WritePublic(Utf8JsonWriter writer, JsonWebKey jwk)
    {
        writer.WriteStartObject();
        Head(writer, jwk.Kty, jwk.Alg, jwk.Kid);
        if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
        {
            writer.WriteString("n", jwk.N);
            writer.WriteString("e", jwk.E);
        }
        else
        {
            writer.WriteString("crv", jwk.Crv);
            writer.WriteString("x", jwk.X);
            writer.WriteString("y", jwk.Y);
        }

        writer.WriteEndObject();
    }

    private static void Head(Utf8JsonWriter writer, string kty, string alg, string kid)
    {
        writer.WriteString("kty", kty);
        writer.WriteString("use", JsonWebKeyUseNames.Sig);
        writer.WriteString("alg", alg);
        writer.WriteString("kid", kid);
    }

    private static void Member(Utf8JsonWriter writer, string name, byte[]? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, Base64UrlEncoder.Encode(value));

            // Note: exported parameters are fresh copies; clear them once written.
            CryptographicOperations.ZeroMemory(value);
        }
    }
}
