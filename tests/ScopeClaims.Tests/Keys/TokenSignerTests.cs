using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Conversion;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Tests.Keys;

/// <summary>The signing seam: keys held elsewhere sign every token through a <see cref="TokenSigner"/>.</summary>
public class TokenSignerTests
{
    private static readonly JsonWebTokenHandler s_handler = new();

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("RS512")]
    public async Task IssueAsync_RemoteSigner_TokenVerifiesWithThePublishedJwks(string algorithm)
    {
        var signer = algorithm[0] == 'E' ? FakeRemoteSigner.Ec(algorithm) : FakeRemoteSigner.Rsa(algorithm);
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer, "remote-1"));
        var issuer = new ScopeTokenIssuer(TestKeys.Options(keys.Active));

        var issued = await issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a write:b")) { Subject = "svc" });

        Assert.Equal(1, signer.Calls);
        var result = await Validate(issued.Token, keys.ExportPublicJwks());
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = new JsonWebToken(issued.Token);
        Assert.Equal(algorithm, token.Alg);
        Assert.Equal("remote-1", token.Kid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(token.GetPayloadValue<long>("exp")), issued.ExpiresAt);
        Assert.Equal(["read:a", "write:b"], token.GetPayloadValue<string[]>("scope"));
    }

    [Fact]
    public void Issue_SignerThatSignsOnlyAsynchronously_RefusedWithoutCallingIt()
    {
        var signer = FakeRemoteSigner.Ec();
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.FromSigner(signer, "remote-1")));

        var ex = Assert.Throws<InvalidOperationException>(() => issuer.Issue("read:a"));

        Assert.Contains("IssueAsync", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the fake key service", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, signer.Calls);
    }

    [Fact]
    public async Task IssueAsync_CancelledBeforehand_NothingSigned()
    {
        var signer = FakeRemoteSigner.Ec();
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.FromSigner(signer)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")), new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(0, signer.Calls);
    }

    [Fact]
    public async Task IssueAsync_CancelledWhileTheSignerWorks_CancelledAndNothingIssued()
    {
        var release = new TaskCompletionSource();
        var signer = FakeRemoteSigner.Ec();
        signer.Hold = release.Task;
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.FromSigner(signer)));
        using var cancel = new CancellationTokenSource();

        var pending = issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")), cancel.Token).AsTask();
        await WaitUntil(() => signer.Calls == 1);
        Assert.False(pending.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task IssueAsync_RequestInvalid_RefusedBeforeTheSignerIsCalled()
    {
        var signer = FakeRemoteSigner.Ec();
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.FromSigner(signer)));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")) { Lifetime = TimeSpan.FromDays(400) }).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")) { Claims = new Dictionary<string, object> { ["iss"] = "x" } }).AsTask());

        Assert.Equal(0, signer.Calls);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task IssueAsync_SignatureOfTheWrongLength_RefusedAndNothingIssued(int length)
    {
        var signer = FakeRemoteSigner.Ec();
        signer.Tamper = signature => length < 0 ? null : signature.Concat(new byte[64]).Take(length).ToArray();
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.FromSigner(signer, "remote-1")));

        var ex = await Assert.ThrowsAsync<CryptographicException>(() => issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a"))).AsTask());

        Assert.Contains("remote-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(length < 0 ? "no signature" : $"{length} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueAsync_ClaimsOnlyTheReferencePathWrites_SignedThroughTheSigner()
    {
        var signer = FakeRemoteSigner.Rsa("PS384");
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer, "remote-1"));
        var issuer = new ScopeTokenIssuer(TestKeys.Options(keys.Active));
        var request = new ScopeTokenRequest(ScopeSet.Parse("read:a")) { Claims = new Dictionary<string, object> { ["tenant"] = new Dictionary<string, object> { ["id"] = 7 } } };

        var issued = await issuer.IssueAsync(request);

        Assert.Equal(1, signer.Calls);
        var result = await Validate(issued.Token, keys.ExportPublicJwks());
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = new JsonWebToken(issued.Token);
        Assert.Equal("remote-1", token.Kid);
        Assert.Equal("PS384", token.Alg);
        Assert.Equal(7, JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement.GetProperty("tenant").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task IssueAsync_EcdsaSignatureFromDer_ConvertedAndVerifies()
    {
        var signer = FakeRemoteSigner.Ec("ES384", viaDer: true);
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer));

        var issued = await new ScopeTokenIssuer(TestKeys.Options(keys.Active)).IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")));

        Assert.True((await Validate(issued.Token, keys.ExportPublicJwks())).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3000")]
    [InlineData("3006020101020101FF")]
    [InlineData("30060201FF020101")]
    [InlineData("3008020101020101020101")]
    [InlineData("0400")]
    public void EcdsaSignatureFromDer_NotADerSignatureForTheCurve_Refused(string hex)
    {
        var signer = FakeRemoteSigner.Ec();

        Assert.Throws<CryptographicException>(() => signer.FromDer(Convert.FromHexString(hex)));
    }

    [Fact]
    public void EcdsaSignatureFromDer_IntegerLongerThanTheField_Refused()
    {
        var signer = FakeRemoteSigner.Ec();
        var tooLong = "0221" + "01" + new string('A', 64);

        Assert.Throws<CryptographicException>(() => signer.FromDer(Convert.FromHexString("3046" + tooLong + "020101")));
    }

    [Fact]
    public void EcdsaSignatureFromDer_ShortIntegers_LeftPaddedToTheField()
    {
        var signer = FakeRemoteSigner.Ec();

        var signature = signer.FromDer(Convert.FromHexString("3006020105020109"));

        Assert.Equal(64, signature.Length);
        Assert.Equal(5, signature[31]);
        Assert.Equal(9, signature[63]);
        Assert.All(signature.Take(31).Concat(signature.Skip(32).Take(31)), b => Assert.Equal(0, b));
    }

    [Fact]
    public void EcdsaSignatureFromDer_RsaSigner_Refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FakeRemoteSigner.Rsa().FromDer([0x30, 0x00]));

        Assert.Contains("not an ECDSA algorithm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HmacAlgorithm_Refused()
    {
        var ex = Assert.Throws<SigningKeyException>(() => new HmacAttempt());

        Assert.Contains("HS256", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("RS1")]
    [InlineData("es256")]
    public void Constructor_AlgorithmNotSupported_Refused(string algorithm)
    {
        var ex = Assert.Throws<SigningKeyException>(() => FakeRemoteSigner.Ec(algorithm));

        Assert.Contains("not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RsaUnder2048Bits_Refused()
    {
        var ex = Assert.Throws<SigningKeyException>(() => FakeRemoteSigner.Rsa("RS256", bits: 1024));

        Assert.Contains("1024 bits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CurveDoesNotFitTheAlgorithm_Refused()
    {
        var ex = Assert.Throws<SigningKeyException>(() => new MismatchedCurve());

        Assert.Contains("P-256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EcKeyForAnRsaAlgorithm_Refused()
    {
        Assert.Throws<SigningKeyException>(() => FakeRemoteSigner.Ec("RS256"));
    }

    [Fact]
    public void FromSigner_KeepsOnlyThePublicHalf()
    {
        var key = TokenSigningKey.FromSigner(FakeRemoteSigner.Rsa(), "remote-1");

        var rsa = Assert.IsType<RsaSecurityKey>(key.Key).Rsa;
        Assert.ThrowsAny<CryptographicException>(() => rsa.ExportParameters(includePrivateParameters: true));
        Assert.DoesNotContain("\"d\"", new SigningKeySet(key).ExportPublicJwks(), StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(key.ExportPrivateJwk);
        Assert.Contains("the fake key service", ex.Message, StringComparison.Ordinal);
        Assert.False(key.IsSymmetric);
        Assert.False(key.CanSignSynchronously);
    }

    [Fact]
    public void FromSigner_NoKeyId_TheThumbprintOfThePublicKey()
    {
        var signer = FakeRemoteSigner.Ec();

        var key = TokenSigningKey.FromSigner(signer);

        Assert.Equal(Base64UrlEncoder.Encode(key.ToPublicJsonWebKey()!.ComputeJwkThumbprint()), key.KeyId);
        Assert.Equal(key.KeyId, TokenSigningKey.FromSigner(signer).KeyId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void FromSigner_BlankKeyId_Refused(string keyId)
    {
        Assert.Throws<ArgumentException>(() => TokenSigningKey.FromSigner(FakeRemoteSigner.Ec(), keyId));
    }

    [Fact]
    public async Task SynchronousSigner_IssueAndIssueAsyncSignInline()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new FakeLocalModuleSigner(ec, "ES256");
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer, "module-1"));
        var issuer = new ScopeTokenIssuer(TestKeys.Options(keys.Active));

        var token = issuer.Issue("read:a");
        var pending = issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")));
        var completedInline = pending.IsCompletedSuccessfully;
        var issued = await pending;

        Assert.True(completedInline);
        Assert.Equal(2, signer.SyncCalls);
        Assert.Equal(0, signer.AsyncCalls);
        Assert.True((await Validate(token, keys.ExportPublicJwks())).IsValid);
        Assert.True((await Validate(issued.Token, keys.ExportPublicJwks())).IsValid);
    }

    [Fact]
    public async Task Credentials_SynchronousSigner_SignWithMicrosoftIdentityModel()
    {
        using var rsa = RSA.Create(2048);
        var signer = new FakeLocalModuleSigner(rsa, "RS256");
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer, "module-1"));

        var token = s_handler.CreateToken("""{"iss":"https://issuer.test","aud":"https://partner.test","exp":4102444800}""", keys.Active.Credentials);

        Assert.Equal(1, signer.SyncCalls);
        Assert.True((await Validate(token, keys.ExportPublicJwks())).IsValid);
    }

    [Fact]
    public void Credentials_SignerThatSignsOnlyAsynchronously_RefusedWhenUsed()
    {
        var key = TokenSigningKey.FromSigner(FakeRemoteSigner.Ec());

        var ex = Assert.ThrowsAny<Exception>(() => s_handler.CreateToken("""{"iss":"x"}""", key.Credentials));

        Assert.Contains("IssueAsync", Flatten(ex), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_ToASignerKey_NewTokensSignedByTheSignerOldOnesStillVerify()
    {
        var local = TokenSigningKey.Generate("ES256", "local-1");
        var keys = new SigningKeySet(local);
        var options = TestKeys.Options();
        options.SigningKeys = keys;
        var issuer = new ScopeTokenIssuer(options);
        var before = issuer.Issue("read:a");
        var signer = FakeRemoteSigner.Ec();

        keys.Rotate(TokenSigningKey.FromSigner(signer, "remote-2"));
        var after = await issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")));

        Assert.Equal(1, signer.Calls);
        Assert.Equal("remote-2", new JsonWebToken(after.Token).Kid);
        Assert.True((await Validate(after.Token, keys.ExportPublicJwks())).IsValid);
        Assert.True((await Validate(before, keys.ExportPublicJwks())).IsValid);
        Assert.Throws<InvalidOperationException>(() => issuer.Issue("read:a"));
    }

    [Fact]
    public async Task ManagedScheduleOfSignerKeys_TheKeyOfTheWindowSigns()
    {
        var first = FakeRemoteSigner.Ec();
        var second = FakeRemoteSigner.Ec();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var a = TokenSigningKey.FromSigner(first, "a");
        var b = TokenSigningKey.FromSigner(second, "b");
        var keys = new SigningKeySet(a);
        var now = time.GetUtcNow();
        keys.Replace([new SigningWindow(a, now.AddHours(-1), now.AddHours(1)), new SigningWindow(b, now.AddHours(1), now.AddHours(2))], [a, b]);
        var options = TestKeys.Options();
        options.SigningKeys = keys;
        var issuer = new ScopeTokenIssuer(options, timeProvider: time);

        var early = await issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")));
        time.Advance(TimeSpan.FromHours(1));
        var late = await issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")));

        Assert.Equal(("a", "b"), (new JsonWebToken(early.Token).Kid, new JsonWebToken(late.Token).Kid));
        Assert.Equal((1, 1), (first.Calls, second.Calls));
    }

    [Fact]
    public async Task ConvertAsync_TargetKeyHeldByARemoteSigner_SignedThroughIt()
    {
        var signer = FakeRemoteSigner.Ec();
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer, "remote-1"));
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        var converter = new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(keys.Active)));

        var result = await converter.ConvertAsync(SourceTokens.Build("read:a write:b"));

        Assert.Equal(1, signer.Calls);
        Assert.Equal("remote-1", new JsonWebToken(result.Token).Kid);
        Assert.True((await Validate(result.Token, keys.ExportPublicJwks())).IsValid);
    }

    [Fact]
    public async Task ConvertAsync_CancelledWhileTheSignerWorks_Cancelled()
    {
        var release = new TaskCompletionSource();
        var signer = FakeRemoteSigner.Ec();
        signer.Hold = release.Task;
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        var converter = new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.FromSigner(signer))));
        using var cancel = new CancellationTokenSource();

        var pending = converter.ConvertAsync(SourceTokens.Build("read:a"), cancel.Token);
        await WaitUntil(() => signer.Calls == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task CreateJwsAsync_SignsTheCallersPayloadThroughTheSigner()
    {
        var signer = FakeRemoteSigner.Rsa("PS256");
        var keys = new SigningKeySet(TokenSigningKey.FromSigner(signer, "remote-1"));

        var jws = await keys.Active.CreateJwsAsync(Encoding.UTF8.GetBytes("""{"iss":"https://issuer.test","aud":"https://partner.test","exp":4102444800}"""), "JWT");

        var token = new JsonWebToken(jws);
        Assert.Equal(("PS256", "remote-1", "JWT"), (token.Alg, token.Kid, token.Typ));
        Assert.True((await Validate(jws, keys.ExportPublicJwks())).IsValid);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"a":1} {}""")]
    [InlineData("""{"a":"\uD800"}""")]
    [InlineData("not json")]
    public async Task CreateJwsAsync_PayloadNotOneCleanJsonObject_RefusedAndNothingSigned(string payload)
    {
        var signer = FakeRemoteSigner.Ec();
        var key = TokenSigningKey.FromSigner(signer);

        await Assert.ThrowsAsync<ArgumentException>(() => key.CreateJwsAsync(Encoding.UTF8.GetBytes(payload), "JWT").AsTask());

        Assert.Equal(0, signer.Calls);
    }

    [Fact]
    public async Task CreateJwsAsync_InvalidUtf8_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TestKeys.Ec.CreateJwsAsync(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, "JWT").AsTask());
    }

    [Fact]
    public async Task IssueAsync_LocalKey_CompletesInlineLikeIssue()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec));

        var pending = issuer.IssueAsync(new ScopeTokenRequest(ScopeSet.Parse("read:a")));
        var completedInline = pending.IsCompletedSuccessfully;
        var issued = await pending;

        Assert.True(completedInline);
        Assert.True((await Validate(issued.Token, issuer.Keys.ExportPublicJwks())).IsValid);
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
    }

    private static async Task<TokenValidationResult> Validate(string token, string jwks) =>
        await s_handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://issuer.test",
            ValidAudience = "https://partner.test",
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidAlgorithms = TokenSigningAlgorithms.All,
            ClockSkew = TimeSpan.Zero,
        });

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : ex.Message + " | " + Flatten(ex.InnerException);

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private sealed class HmacAttempt() : TokenSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256), "HS256")
    {
        public override ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class MismatchedCurve() : TokenSigner(ECDsa.Create(ECCurve.NamedCurves.nistP384), "ES256")
    {
        public override ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
