using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing.Tests.Internal;

/// <summary>
/// Keys, JWKs, certificates and signed tokens made with System.Security.Cryptography directly, so a test can write any
/// header, payload or key, including the wrong ones (an ES256 signature by a P-384 key, a 1,024-bit RSA key).
/// </summary>
internal static class RawJose
{
    private static readonly Lazy<RSA> s_rsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_rsa2048b = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_rsa1024 = new(() => RSA.Create(1024));
    private static readonly Lazy<ECDsa> s_p256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> s_p256b = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> s_p384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> s_p521 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP521));

    public static RSA Rsa2048 => s_rsa2048.Value;

    /// <summary>A second RSA key, for "the certificate belongs to another key".</summary>
    public static RSA Rsa2048Other => s_rsa2048b.Value;

    public static RSA Rsa1024 => s_rsa1024.Value;

    public static ECDsa P256 => s_p256.Value;

    public static ECDsa P256Other => s_p256b.Value;

    public static ECDsa P384 => s_p384.Value;

    public static ECDsa P521 => s_p521.Value;

    public static byte[] Secret(int bytes, int seed = 1) => Enumerable.Range(0, bytes).Select(i => (byte)((i * 31) + seed)).ToArray();

    public static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    public static string Encode(string json) => B64(Encoding.UTF8.GetBytes(json));

    /// <summary>A public JWK of an RSA or EC key as a JSON object, to add members to.</summary>
    public static JsonObject Jwk(AsymmetricAlgorithm key, string? kid = null, string? alg = null, string? use = null)
    {
        var jwk = new JsonObject();
        switch (key)
        {
            case RSA rsa:
                var p = rsa.ExportParameters(false);
                jwk["kty"] = "RSA";
                jwk["n"] = B64(p.Modulus!);
                jwk["e"] = B64(p.Exponent!);
                break;
            case ECDsa ec:
                var q = ec.ExportParameters(false);
                jwk["kty"] = "EC";
                jwk["crv"] = ec.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
                jwk["x"] = B64(q.Q.X!);
                jwk["y"] = B64(q.Q.Y!);
                break;
        }

        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        if (use is not null)
        {
            jwk["use"] = use;
        }

        return jwk;
    }

    public static string Jwks(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.DeepClone()).ToArray()) }.ToJsonString();

    /// <summary>A self-signed certificate (DER, standard base64 as in x5c) for the key.</summary>
    public static string Certificate(AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=scopeclaims test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest("CN=scopeclaims test", ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDsa", nameof(key)),
        };
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = request.CreateSelfSigned(start, start.AddYears(50));
        return Convert.ToBase64String(certificate.RawData);
    }

    /// <summary>The key's self-signed certificate in another container than the DER x5c holds (PKCS#7, PKCS#12), in standard base64.</summary>
    public static string CertificateIn(AsymmetricAlgorithm key, X509ContentType container)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Certificate(key)));
        return Convert.ToBase64String(new X509Certificate2Collection(certificate).Export(container)!);
    }

    /// <summary>Signs header.payload exactly as given, with the algorithm's hash and padding, whatever the key.</summary>
    public static string Sign(string headerJson, string payloadJson, string alg, object key)
    {
        var input = Encode(headerJson) + "." + Encode(payloadJson);
        return input + "." + B64(Signature(Encoding.ASCII.GetBytes(input), alg, key));
    }

    public static byte[] Signature(byte[] data, string alg, object key)
    {
        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        return (alg[..2], key) switch
        {
            ("RS", RSA rsa) => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1),
            ("PS", RSA rsa) => rsa.SignData(data, hash, RSASignaturePadding.Pss),
            ("ES", ECDsa ec) => ec.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            ("HS", byte[] secret) => hash.Name switch
            {
                "SHA256" => HMACSHA256.HashData(secret, data),
                "SHA384" => HMACSHA384.HashData(secret, data),
                _ => HMACSHA512.HashData(secret, data),
            },
            _ => throw new ArgumentException($"{alg} cannot be made with {key.GetType().Name}", nameof(key)),
        };
    }
}
