using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Issuing;

public class ScopeTokenIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha384)]
    [InlineData(SecurityAlgorithms.EcdsaSha512)]
    [InlineData(SecurityAlgorithms.HmacSha256)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    public async Task Issue_EveryAlgorithm_ValidatesWithIdentityModel(string algorithm)
    {
        var key = TokenSigningKey.Generate(algorithm);
        var issuer = new ScopeTokenIssuer(TestKeys.Options(key));

        var token = issuer.Issue(ScopeSet.Parse("read:a write:b"), "client-1");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, TestKeys.ValidationParameters(issuer.Keys));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(algorithm, jwt.Alg);
        Assert.Equal(key.KeyId, jwt.Kid);
        Assert.Equal("client-1", jwt.Subject);
    }

    [Fact]
    public void Issue_SetsRegisteredClaimsFromTimeProvider()
    {
        var time = new FakeTimeProvider(Now);
        var options = TestKeys.Options();
        options.Lifetime = TimeSpan.FromMinutes(3);
        var token = new ScopeTokenIssuer(options, timeProvider: time).Issue(ScopeSet.Parse("a"));

        var payload = ScopeSerializerTests.Payload(token);
        Assert.Equal("https://issuer.test", payload.GetProperty("iss").GetString());
        Assert.Equal("https://partner.test", payload.GetProperty("aud").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
        Assert.Equal(Now.AddMinutes(3).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.False(payload.TryGetProperty("sub", out _));
    }

    [Fact]
    public void Issue_OneScope_IsStillAnArray()
    {
        var token = new ScopeTokenIssuer(TestKeys.Options()).Issue(ScopeSet.Parse("x"));

        Assert.Equal(JsonValueKind.Array, ScopeSerializerTests.Payload(token).GetProperty("scope").ValueKind);
    }

    [Fact]
    public void Issue_JwtId_IsFreshAndAtLeast128Bits()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options());
        var ids = Enumerable.Range(0, 50).Select(_ => ScopeSerializerTests.Payload(issuer.Issue(ScopeSet.Empty)).GetProperty("jti").GetString()!).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Base64UrlEncoder.DecodeBytes(id).Length >= 16));
    }

    [Fact]
    public void Issue_JwtIdDisabled_OmitsIt()
    {
        var options = TestKeys.Options();
        options.IncludeJwtId = false;

        Assert.False(ScopeSerializerTests.Payload(new ScopeTokenIssuer(options).Issue(ScopeSet.Empty)).TryGetProperty("jti", out _));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    public void Issue_TokenType_IsWrittenToHeader(string type)
    {
        var options = TestKeys.Options();
        options.TokenType = type;

        var token = new JsonWebToken(new ScopeTokenIssuer(options).Issue(ScopeSet.Empty));

        Assert.Equal(type, token.Typ);
    }

    [Fact]
    public void Issue_SeveralAudiences_WritesArray()
    {
        var options = TestKeys.Options();
        options.Audiences.Add("https/other.test");

        var aud = ScopeSerializerTests.Payload(new ScopeTokenIssuer(options).Issue(ScopeSet.Empty)).GetProperty("aud");

        Assert.Equal(JsonValueKind.Array, aud.ValueKind);
        Assert.Equal(2, aud.GetArrayLength());
    }

    [Fact]
    public void Issue_RequestOverrides_SetAudienceExpiryAndExtraClaims()
    {
        var time = new FakeTimeProvider(Now);
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), timeProvider: time);

        var token = issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a"))
        {
            Audiences = new[] { "https://elsewhere.test" },
            Lifetime = TimeSpan.FromMinutes(10),
            NotAfter = Now.AddMinutes(2),
            Claims = new Dictionary<string, object> { ["client_id"] = "c1", ["n"] = 5, ["list"] = new List<string> { "x" } },
        });

        var payload = ScopeSerializerTests.Payload(token);
        Assert.Equal("https://elsewhere.test", payload.GetProperty("aud").GetString());
        Assert.Equal(Now.AddMinutes(2).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal("c1", payload.GetProperty("client_id").GetString());
        Assert.Equal(5, payload.GetProperty("n").GetInt32());
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("list").ValueKind);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    [InlineData("jti")]
    [InlineData("scope")]
    [InlineData("scp")]
    [InlineData(ScopeClaimTypes.MicrosoftScope)]
    [InlineData("ISS")]
    [InlineData("Exp")]
    [InlineData("jTi")]
    [InlineData("SCOPE")]
    [InlineData("Scope")]
    [InlineData("Scp")]
    [InlineData("SCP")]
    [InlineData("\u017Fcope")]
    [InlineData("HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE")]
    public void Issue_ExtraClaimNamingRegisteredOrScopeClaim_IsRefused(string name)
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options());

        var ex = Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Claims = new Dictionary<string, object> { [name] = "x" } }));

        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_ExtraClaimNamingCustomScopeClaim_IsRefused()
    {
        var options = TestKeys.Options();
        options.ClaimName = "permissions";
        var issuer = new ScopeTokenIssuer(options);

        Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Claims = new Dictionary<string, object> { ["permissions"] = "x" } }));
        Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Claims = new Dictionary<string, object> { ["PERMISSIONS"] = "x" } }));
    }

    [Fact]
    public void Issue_NullExtraClaim_IsRefused()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options());

        Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Claims = new Dictionary<string, object> { ["x"] = null! } }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3601)]
    public void Issue_LifetimeOutOfBounds_IsRefused(int seconds)
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options());

        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Empty) { Lifetime = TimeSpan.FromSeconds(seconds) }));
    }

    [Fact]
    public void Issue_LifetimeUnderOneSecond_IsRefused()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options());

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Empty) { Lifetime = TimeSpan.FromMilliseconds(999) }));

        Assert.Contains("at least 1 second", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 512, 16384, "a b c d", ScopeErrorReason.TooManyScopes)]
    [InlineData(256, 3, 16384, "abcd", ScopeErrorReason.ScopeTooLong)]
    [InlineData(256, 512, 5, "abc def", ScopeErrorReason.TooLong)]
    public void Issue_ScopesOverTheProfileLimits_AreRefused(int maxScopes, int maxScopeLength, int maxTotalLength, string scopes, ScopeErrorReason reason)
    {
        var options = TestKeys.Options();
        options.Limits = new ScopeLimits { MaxScopes = maxScopes, MaxScopeLength = maxScopeLength, MaxTotalLength = maxTotalLength };
        var issuer = new ScopeTokenIssuer(options);

        var ex = Assert.Throws<ScopeFormatException>(() => issuer.Issue(ScopeSet.Parse(scopes)));

        Assert.Equal(reason, ex.Reason);
        Assert.Contains("ScopeTokenOptions.Limits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_OptionsChangedAfterConstruction_KeepTheValidatedValues()
    {
        var time = new FakeTimeProvider(Now);
        var options = TestKeys.Options();
        var issuer = new ScopeTokenIssuer(options, timeProvider: time);
        options.Lifetime = TimeSpan.FromMilliseconds(1);
        options.MaxLifetime = TimeSpan.MaxValue;
        options.Limits = null!;

        var payload = ScopeSerializerTests.Payload(issuer.Issue(ScopeSet.Parse("a")));

        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Empty) { Lifetime = TimeSpan.FromHours(2) }));
    }

    [Fact]
    public void Issue_NotAfterInThePast_IsRefused()
    {
        var time = new FakeTimeProvider(Now);
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), timeProvider: time);

        Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Empty) { NotAfter = Now }));
    }

    [Fact]
    public void Issue_EmptySubjectOrAudience_IsRefused()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options());

        Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Empty) { Subject = " " }));
        Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Empty) { Audiences = Array.Empty<string>() }));
    }

    [Fact]
    public void Issue_NeverUnsigned()
    {
        var token = new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec)).Issue(ScopeSet.Parse("a"));

        var jwt = new JsonWebToken(token);
        Assert.Equal("ES256", jwt.Alg);
        Assert.NotEmpty(jwt.EncodedSignature);
    }

    [Fact]
    public void Constructor_NoKey_ThrowsListingTheProblem()
    {
        var options = new ScopeTokenOptions { Issuer = "i" };
        options.Audiences.Add("a");

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains("No signing key is configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ScopeTokenIssuer(null!));
        Assert.Throws<ArgumentNullException>(() => ScopeTokenIssuer.CreateSerializer(null!));
    }

    [Fact]
    public void Issue_NullRequest_Throws()
    {
        IScopeTokenIssuer issuer = new ScopeTokenIssuer(TestKeys.Options());

        Assert.Throws<ArgumentNullException>(() => issuer.Issue((ScopeTokenRequest)null!));
        Assert.Throws<ArgumentNullException>(() => new ScopeTokenRequest(null!));
        Assert.Throws<ArgumentNullException>(() => ScopeTokenIssuerExtensions.Issue(null!, ScopeSet.Empty));
        Assert.Throws<ScopeFormatException>(() => issuer.Issue("a\tb"));
    }

    [Fact]
    public void Serializer_Custom_IsUsed()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), new ArrayScopeSerializer("scopes_array"));

        var payload = ScopeSerializerTests.Payload(issuer.Issue(ScopeSet.Parse("a")));

        Assert.True(payload.TryGetProperty("scopes_array", out _));
        Assert.False(payload.TryGetProperty("scope", out _));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    [InlineData("partner+jwt")]
    public void TokenType_OfAProfile_IsTheTypItWrites(string typ)
    {
        var options = TestKeys.Options();
        options.TokenType = typ;
        IScopeTokenIssuer issuer = new ScopeTokenIssuer(options);

        Assert.Equal(typ, issuer.TokenType);
        Assert.Equal(typ, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(issuer.Issue(ScopeSet.Parse("a"))).Typ);
    }

    [Fact]
    public void Issue_WithExpiry_SaysTheExpOfTheTokenItIssued()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        IScopeTokenIssuer issuer = new ScopeTokenIssuer(TestKeys.Options(), timeProvider: time);

        var token = issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Lifetime = TimeSpan.FromMinutes(2) }, out var expiresAt);

        Assert.Equal(time.GetUtcNow().AddMinutes(2), expiresAt);
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), ScopeSerializerTests.Payload(token).GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Issue_WithExpiryNullRequest_Throws()
    {
        IScopeTokenIssuer issuer = new ScopeTokenIssuer(TestKeys.Options());

        Assert.Throws<ArgumentNullException>(() => issuer.Issue(null!, out _));
    }
}
