using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;
using static ScopeClaims.Testing.Tests.Internal.RawJose;

namespace ScopeClaims.Testing.Tests.Internal;

/// <summary>
/// How Microsoft.IdentityModel 8 calls <see cref="TokenValidationParameters.IssuerSigningKeyValidator"/>, so that
/// <see cref="KeyAlgorithmBinding"/> can be wired into it: after the signature verified, with the key that verified it
/// (the <see cref="JsonWebKey"/> itself when the keys are JWKs) and a <see cref="JsonWebToken"/> whose Alg is the header's.
/// </summary>
public sealed class IssuerSigningKeyValidatorWiringTests
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    private static string Payload => "{\"sub\":\"s\",\"exp\":" + DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds() + "}";

    private static TokenValidationParameters Parameters(SecurityKey key, IssuerSigningKeyValidator? validator) => new()
    {
        IssuerSigningKeys = [key],
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeyValidator = validator,
        ClockSkew = TimeSpan.Zero,
    };

    [Fact]
    public async Task Validator_WithValidateIssuerSigningKey_CalledWithTheJwkAndTheJsonWebToken()
    {
        var jwk = StrictJwks.Read(Jwks(Jwk(P384, kid: "p384")), StrictJwks.PrivateKeys.Refuse).Keys[0];
        var token = Sign("{\"alg\":\"ES384\",\"kid\":\"p384\"}", Payload, "ES384", P384);
        var calls = new List<(SecurityKey Key, SecurityToken Token)>();

        var result = await s_handler.ValidateTokenAsync(token, Parameters(jwk, (key, t, _) =>
        {
            calls.Add((key, t));
            return true;
        }));

        Assert.True(result.IsValid);
        var (calledKey, calledToken) = Assert.Single(calls);
        Assert.Same(jwk, calledKey);
        Assert.Equal("ES384", Assert.IsType<JsonWebToken>(calledToken).Alg);
    }

    [Fact]
    public async Task Validator_Unset_Es256TokenSignedOnP384Validates()
    {
        // Note: this is the gap the binding closes: Microsoft.IdentityModel does not tie ES256 to P-256.
        var jwk = StrictJwks.Read(Jwks(Jwk(P384, kid: "p384")), StrictJwks.PrivateKeys.Refuse).Keys[0];
        var token = Sign("{\"alg\":\"ES256\",\"kid\":\"p384\"}", Payload, "ES256", P384);

        var result = await s_handler.ValidateTokenAsync(token, Parameters(jwk, validator: null));

        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task Validator_ThrowingTheBindingReason_RefusesWithThatReason()
    {
        var jwk = StrictJwks.Read(Jwks(Jwk(P384, kid: "p384")), StrictJwks.PrivateKeys.Refuse).Keys[0];
        var token = Sign("{\"alg\":\"ES256\",\"kid\":\"p384\"}", Payload, "ES256", P384);

        // The wiring to copy:
        var parameters = Parameters(jwk, (key, t, _) =>
            KeyAlgorithmBinding.Check(key, (t as JsonWebToken)?.Alg) is not { } problem
                ? true
                : throw new SecurityTokenInvalidSigningKeyException(problem) { SigningKey = key });

        var result = await s_handler.ValidateTokenAsync(token, parameters);

        Assert.False(result.IsValid);
        var ex = Assert.IsType<SecurityTokenInvalidSigningKeyException>(result.Exception);
        Assert.StartsWith("ES256 needs an EC key on P-256; this key is on P-384", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_ReturningFalse_RefusesWithInvalidSigningKey()
    {
        var jwk = StrictJwks.Read(Jwks(Jwk(Rsa2048, kid: "r", alg: "RS256")), StrictJwks.PrivateKeys.Refuse).Keys[0];
        var token = Sign("{\"alg\":\"PS256\",\"kid\":\"r\"}", Payload, "PS256", Rsa2048);

        var lenient = await s_handler.ValidateTokenAsync(token, Parameters(jwk, validator: null));
        var bound = await s_handler.ValidateTokenAsync(token, Parameters(jwk, (key, t, _) => KeyAlgorithmBinding.Check(key, (t as JsonWebToken)?.Alg) is null));

        Assert.True(lenient.IsValid);
        Assert.IsType<SecurityTokenInvalidSigningKeyException>(bound.Exception);
    }

    [Fact]
    public async Task Validator_Set_ReplacesTheCertificateDateCheck()
    {
        // Note: Microsoft.IdentityModel checks an X509SecurityKey's certificate dates only when no delegate is set.
        using var expired = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=expired", Rsa2048, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2002, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var key = new X509SecurityKey(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(expired.RawData)) { KeyId = "x" };
        var token = Sign("{\"alg\":\"RS256\",\"kid\":\"x\"}", Payload, "RS256", Rsa2048);

        var withoutDelegate = await s_handler.ValidateTokenAsync(token, Parameters(key, validator: null));
        var withDelegate = await s_handler.ValidateTokenAsync(token, Parameters(key, (k, t, _) => KeyAlgorithmBinding.Check(k, (t as JsonWebToken)?.Alg) is null));

        Assert.IsType<SecurityTokenInvalidSigningKeyException>(withoutDelegate.Exception);
        Assert.True(withDelegate.IsValid);
    }
}
