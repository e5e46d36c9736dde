using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Conversion;

/// <summary>
/// RFC 8725 §3.1/§3.2 at the converter: the key that verifies a signature must fit the token's algorithm (family, size,
/// curve, and the JWK's own alg/use/key_ops), and a JWKS is read strictly (duplicate members, private members).
/// </summary>
public class ScopeTokenConverterKeyBindingTests
{
    private static ScopeTokenConverter Converter(string jwksJson, params string[] algorithms)
    {
        var inbound = new InboundIssuerOptions { Issuer = SourceTokens.Auth0, JwksJson = jwksJson };
        inbound.Audiences.Add(SourceTokens.Api);
        foreach (var alg in algorithms)
        {
            inbound.Algorithms.Add(alg);
        }

        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound);
        return new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec, ScopeFormat.Array)));
    }

    private static string SignedInput(string alg, string kid) =>
        SourceTokens.Encode($$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"JWT"}""") + "." + SourceTokens.Encode(SourceTokens.Payload("read:a"));

    private static string EcToken(ECDsa key, string alg, HashAlgorithmName hash, string kid)
    {
        var input = SignedInput(alg, kid);
        return input + "." + Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(input), hash));
    }

    private static string RsaToken(RSA key, string alg, HashAlgorithmName hash, RSASignaturePadding padding, string kid)
    {
        var input = SignedInput(alg, kid);
        return input + "." + Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(input), hash, padding));
    }

    private static string Jwks(params string[] keys) => "{\"keys\":[" + string.Join(",", keys) + "]}";

    private static string EcJwk(ECDsa key, string kid, string? alg = null)
    {
        var p = key.ExportParameters(false);
        var crv = p.Curve.Oid.FriendlyName switch { "nistP256" or "ECDSA_P256" => "P-256", "nistP384" or "ECDSA_P384" => "P-384", _ => "P-521" };
        return $$"""{"kty":"EC","kid":"{{kid}}","crv":"{{crv}}","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}"{{(alg is null ? string.Empty : $",\"alg\":\"{alg}\"")}}}""";
    }

    private static string RsaJwk(RSA key, string kid, string? extra = null)
    {
        var p = key.ExportParameters(false);
        return $$"""{"kty":"RSA","kid":"{{kid}}","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}"{{extra}}}""";
    }

    private static async Task<TokenConversionException> Refused(ScopeTokenConverter converter, string token)
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(token));
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public async Task Convert_Es256TokenVerifiedByAP384Key_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var ex = await Refused(Converter(Jwks(EcJwk(p384, "k")), "ES256"), EcToken(p384, "ES256", HashAlgorithmName.SHA256, "k"));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
        Assert.Contains("P-256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_Es384TokenSignedOnP256_IsRefused()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = await Refused(Converter(Jwks(EcJwk(p256, "k")), "ES384"), EcToken(p256, "ES384", HashAlgorithmName.SHA384, "k"));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
    }

    [Fact]
    public async Task Convert_MatchingCurve_IsConverted()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await Converter(Jwks(EcJwk(p256, "k", alg: "ES256")), "ES256").ConvertAsync(EcToken(p256, "ES256", HashAlgorithmName.SHA256, "k"));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS384")]
    public async Task Convert_JwkWhoseAlgIsRs256_DoesNotVerifyAnotherAlgorithm(string alg)
    {
        using var rsa = RSA.Create(2048);
        var hash = alg.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        var padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

        var ex = await Refused(Converter(Jwks(RsaJwk(rsa, "k", ",\"alg\":\"RS256\"")), "RS256", "PS256", "RS384"), RsaToken(rsa, alg, hash, padding, "k"));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
        Assert.Contains("RS256", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",\"use\":\"enc\"")]
    [InlineData(",\"key_ops\":[\"encrypt\"]")]
    public async Task Convert_JwkNotForVerification_IsNotUsed(string extra)
    {
        using var rsa = RSA.Create(2048);

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await Converter(Jwks(RsaJwk(rsa, "k", extra)), "RS256").ConvertAsync(RsaToken(rsa, "RS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, "k")));

        // Such a key is left out of the set, so a set holding only it is refused when the converter is built.
        Assert.Contains("no", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Convert_1024BitRsaKeyInTheJwks_IsRefused()
    {
        using var weak = RSA.Create(1024);

        var ex = await Refused(Converter(Jwks(RsaJwk(weak, "k")), "RS256"), RsaToken(weak, "RS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, "k"));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
        Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_1024BitRsaSecurityKeyConfiguredDirectly_IsRefused()
    {
        using var weak = RSA.Create(1024);
        var inbound = new InboundIssuerOptions { Issuer = SourceTokens.Auth0 };
        inbound.Audiences.Add(SourceTokens.Api);
        inbound.Algorithms.Add("RS256");
        inbound.SigningKeys.Add(new RsaSecurityKey(weak.ExportParameters(false)) { KeyId = "k" });
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound);
        var converter = new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec, ScopeFormat.Array)));

        var ex = await Refused(converter, RsaToken(weak, "RS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, "k"));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
    }

    [Fact]
    public void JwksJson_NamingKeysTwice_IsRefused()
    {
        // The first "keys" would hold a decoy that a first-wins parser trusts.
        using var decoy = RSA.Create(2048);
        using var real = RSA.Create(2048);
        var json = "{\"keys\":[" + RsaJwk(decoy, "k") + "],\"keys\":[" + RsaJwk(real, "k") + "]}";

        var ex = Assert.ThrowsAny<Exception>(() => Converter(json, "RS256"));

        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JwksJson_NamingAKeyParameterTwice_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var jwk = RsaJwk(rsa, "k", ",\"n\":\"AQAB\"");

        var ex = Assert.ThrowsAny<Exception>(() => Converter(Jwks(jwk), "RS256"));

        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JwksJson_WithAPrivateMember_IsRefused_WithoutQuotingIt()
    {
        using var rsa = RSA.Create(2048);
        var d = Base64UrlEncoder.Encode(rsa.ExportParameters(true).D);

        var ex = Assert.ThrowsAny<Exception>(() => Converter(Jwks(RsaJwk(rsa, "k", $",\"d\":\"{d}\"")), "RS256"));

        Assert.Contains("\"d\"", ex.Message, StringComparison.Ordinal);
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(d, e.ToString(), StringComparison.Ordinal);
        }
    }
}
