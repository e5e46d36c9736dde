using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Pkcs11.Tests.Signing;

[Collection(SoftHsmGroup.Name)]
public sealed class Pkcs11TokenSignerTests(SoftHsm hsm)
{
    [SkippableTheory]
    [InlineData("rsa", "RS256", "RSA")]
    [InlineData("rsa", "PS256", "RSA")]
    [InlineData("ec256", "ES256", "EC")]
    public void Issue_KeyGeneratedInTheToken_VerifiesUnderMicrosoftIdentityModelWithThePublishedJwks(string keyLabel, string algorithm, string keyType)
    {
        hsm.SkipIfMissing();
        using var signer = Pkcs11TokenSigner.Open(SoftHsm.Options(keyLabel, algorithm));
        var issuer = SoftHsm.IssuerOf(signer);

        var token = issuer.Issue(ScopeSet.Parse("read write"), "alice");
        var jwks = issuer.Keys.ExportPublicJwks();

        var result = SoftHsm.Validate(token, jwks);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(algorithm, new JsonWebToken(token).Alg);
        var published = Assert.Single(new JsonWebKeySet(jwks).Keys);
        Assert.Equal(keyType, published.Kty);
        Assert.Equal(algorithm, published.Alg);
        Assert.Equal(published.Kid, new JsonWebToken(token).Kid);
        Assert.True(signer.CanSignSynchronously);
    }

    [SkippableFact]
    public void Issue_TwoTokensWithPs256_DifferBecausePssIsRandomizedAndBothVerify()
    {
        hsm.SkipIfMissing();
        using var signer = Pkcs11TokenSigner.Open(SoftHsm.Options("rsa", "PS256"));
        var issuer = SoftHsm.IssuerOf(signer);
        var jwks = issuer.Keys.ExportPublicJwks();

        var first = issuer.Issue(ScopeSet.Parse("read"), "alice");
        var second = issuer.Issue(ScopeSet.Parse("read"), "alice");

        Assert.True(SoftHsm.Validate(first, jwks).IsValid);
        Assert.True(SoftHsm.Validate(second, jwks).IsValid);
        Assert.NotEqual(first.Split('.')[2], second.Split('.')[2]);
    }

    [SkippableTheory]
    [InlineData("rsa", "RS256")]
    [InlineData("rsa", "PS256")]
    [InlineData("ec256", "ES256")]
    public async Task SignAsync_SigningInput_ReturnsTheJwsSignatureThePublicKeyVerifies(string keyLabel, string algorithm)
    {
        hsm.SkipIfMissing();
        using var signer = Pkcs11TokenSigner.Open(SoftHsm.Options(keyLabel, algorithm));
        var input = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0"u8.ToArray();

        var signature = await signer.SignAsync(input, CancellationToken.None);

        Assert.Equal(signer.SignatureSize, signature.Length);
        var verified = signer.PublicKey switch
        {
            RsaSecurityKey rsa => rsa.Rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
            ECDsaSecurityKey ec => ec.ECDsa.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => false,
        };
        Assert.True(verified);
    }

    [SkippableFact]
    public async Task SignAsync_CancelledToken_ThrowsAndSignsNothing()
    {
        hsm.SkipIfMissing();
        using var signer = Pkcs11TokenSigner.Open(SoftHsm.Options("ec256", "ES256"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signer.SignAsync(new byte[] { 1 }, new CancellationToken(canceled: true)));
    }

    [SkippableFact]
    public void TrySign_DestinationTooShort_ReturnsFalse()
    {
        hsm.SkipIfMissing();
        using var signer = Pkcs11TokenSigner.Open(SoftHsm.Options("ec256", "ES256"));

        Assert.False(signer.TrySign(new byte[] { 1 }, new byte[signer.SignatureSize - 1], out var written));
        Assert.Equal(0, written);
    }

    [SkippableFact]
    public void PublicKey_RsaKey_IsTheModulusReadFromTheTokenAndHoldsNoPrivatePart()
    {
        hsm.SkipIfMissing();
        using var signer = Pkcs11TokenSigner.Open(SoftHsm.Options("rsa", "RS256"));

        var rsa = Assert.IsType<RsaSecurityKey>(signer.PublicKey);
        Assert.Equal(2048, rsa.Rsa.KeySize);
        Assert.Equal(256, signer.SignatureSize);
        Assert.Throws<CryptographicException>(() => rsa.Rsa.ExportParameters(includePrivateParameters: true));
        Assert.Contains("'rsa'", signer.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.Pin, signer.Description, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Open_ByKeyIdAndSlotlessLabel_FindsTheSameKeyAsByLabel()
    {
        hsm.SkipIfMissing();
        var byId = SoftHsm.Options("ignored", "ES256");
        byId.KeyLabel = null;
        byId.KeyId = "02";
        using var signerById = Pkcs11TokenSigner.Open(byId);
        using var signerByLabel = Pkcs11TokenSigner.Open(SoftHsm.Options("ec256", "ES256"));

        Assert.Equal(
            signerByLabel.PublicKey.ComputeJwkThumbprint(),
            signerById.PublicKey.ComputeJwkThumbprint());
    }

    [SkippableFact]
    public void Dispose_Twice_IsHarmlessAndSigningAfterwardsThrows()
    {
        hsm.SkipIfMissing();
        var signer = Pkcs11TokenSigner.Open(SoftHsm.Options("ec256", "ES256"));
        signer.Dispose();
        signer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.TrySign(new byte[] { 1 }, new byte[signer.SignatureSize], out _));
    }
}
