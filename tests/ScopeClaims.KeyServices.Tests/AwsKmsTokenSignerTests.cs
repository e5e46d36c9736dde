using Amazon.KeyManagementService.Model;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.KeyServices.Tests.Readme;

namespace ScopeClaims.KeyServices.Tests;

/// <summary>The README's AWS KMS signer against the real AWS SDK, KMS answered at the SDK's HTTP layer.</summary>
public class AwsKmsTokenSignerTests
{
    private const string KeyId = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task IssueAsync_KmsKey_TokenVerifiesWithThePublishedJwks(string algorithm)
    {
        var kms = algorithm switch { "ES256" => InProcessKms.Ec256(), "ES384" => InProcessKms.Ec384(), _ => InProcessKms.Rsa2048() };
        using var client = kms.Client();
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(await AwsKmsTokenSigner.CreateAsync(client, KeyId, algorithm)));
        var issuer = new ScopeTokenIssuer(Options(keys));

        var issued = await issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a write:b")));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(issued.Token, new TokenValidationParameters
        {
            ValidIssuer = "https://issuer.test",
            ValidAudience = "https://partner.test",
            IssuerSigningKeys = new JsonWebKeySet(keys.ExportPublicJwks()).GetSigningKeys(),
            ValidAlgorithms = [algorithm],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(["TrentService.GetPublicKey", "TrentService.Sign"], kms.Requests.Select(static r => r.Target));
        var sign = kms.Requests.Last();
        Assert.StartsWith("AWS4-HMAC-SHA256 ", sign.Authorization, StringComparison.Ordinal);
        Assert.Equal("RAW", sign.Body.GetProperty("MessageType").GetString());
        Assert.Equal(KeyId, sign.Body.GetProperty("KeyId").GetString());
        Assert.Equal(issued.Token[..issued.Token.LastIndexOf('.')], System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(sign.Body.GetProperty("Message").GetString()!)));
    }

    [Fact]
    public async Task IssueAsync_SigningInputOver4096Bytes_SentAsADigest()
    {
        var kms = InProcessKms.Ec256();
        using var client = kms.Client();
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(await AwsKmsTokenSigner.CreateAsync(client, KeyId, "ES256")));
        var scopes = ScopeSet.Parse(string.Join(' ', Enumerable.Range(0, 200).Select(static i => $"read:resource-{i:D4}")));

        var issued = await new ScopeTokenIssuer(Options(keys)).IssueAsync(new ScopeTokenRequest(scopes));

        Assert.Equal("DIGEST", kms.Requests.Last().Body.GetProperty("MessageType").GetString());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(issued.Token, new TokenValidationParameters
        {
            ValidIssuer = "https://issuer.test",
            ValidAudience = "https://partner.test",
            IssuerSigningKeys = new JsonWebKeySet(keys.ExportPublicJwks()).GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Issue_KmsKey_RefusedBecauseKmsSignsOnlyAsynchronously()
    {
        var kms = InProcessKms.Ec256();
        using var client = kms.Client();
        var issuer = new ScopeTokenIssuer(Options(new SigningKeySet(TokenSigningKey.FromSigner(await AwsKmsTokenSigner.CreateAsync(client, KeyId, "ES256")))));

        var ex = Assert.Throws<InvalidOperationException>(() => issuer.Issue("read:a"));

        Assert.Contains("AWS KMS key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IssueAsync", ex.Message, StringComparison.Ordinal);
        Assert.Single(kms.Requests);
    }

    [Fact]
    public async Task CreateAsync_KeyNotForSigning_Refused()
    {
        var kms = InProcessKms.Ec256();
        kms.KeyUsage = "ENCRYPT_DECRYPT";
        using var client = kms.Client();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => AwsKmsTokenSigner.CreateAsync(client, KeyId, "ES256"));

        Assert.Contains("does not sign with ECDSA_SHA_256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AlgorithmTheKeyDoesNotOffer_Refused()
    {
        var kms = InProcessKms.Ec256();
        using var client = kms.Client();

        await Assert.ThrowsAsync<InvalidOperationException>(() => AwsKmsTokenSigner.CreateAsync(client, KeyId, "ES384"));
    }

    [Fact]
    public async Task IssueAsync_KmsRefusesToSign_TheServiceErrorAndNothingIssued()
    {
        var kms = InProcessKms.Ec256();
        using var client = kms.Client();
        var issuer = new ScopeTokenIssuer(Options(new SigningKeySet(TokenSigningKey.FromSigner(await AwsKmsTokenSigner.CreateAsync(client, KeyId, "ES256")))));
        kms.SignError = "KMSInvalidStateException";

        await Assert.ThrowsAsync<KMSInvalidStateException>(() => issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a"))).AsTask());
    }

    [Fact]
    public async Task IssueAsync_CancelledWhileKmsWorks_Cancelled()
    {
        var kms = InProcessKms.Ec256();
        using var client = kms.Client();
        var issuer = new ScopeTokenIssuer(Options(new SigningKeySet(TokenSigningKey.FromSigner(await AwsKmsTokenSigner.CreateAsync(client, KeyId, "ES256")))));
        kms.Hold = new TaskCompletionSource().Task;
        using var cancel = new CancellationTokenSource();

        var pending = issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")), cancel.Token).AsTask();
        for (var i = 0; i < 500 && kms.Requests.Count < 2; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, kms.Requests.Count);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    private static ScopeTokenOptions Options(SigningKeySet keys)
    {
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test", SigningKeys = keys };
        options.Audiences.Add("https://partner.test");
        return options;
    }
}
