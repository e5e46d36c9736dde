using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Keys;

public class SigningKeySetTests
{
    private static readonly string[] PrivateMembers = { "d", "p", "q", "dp", "dq", "qi", "k" };

    [Fact]
    public void ExportPublicJwks_CarriesNoPrivateParameter_AndNoSymmetricKey()
    {
        var set = new SigningKeySet(TokenSigningKey.Generate("RS256", "r"), new[] { TokenSigningKey.Generate("ES256", "e"), TokenSigningKey.Generate("HS256", "h") });

        using var doc = JsonDocument.Parse(set.ExportPublicJwks());
        var keys = doc.RootElement.GetProperty("keys").EnumerateArray().ToList();

        Assert.Equal(new[] { "r", "e" }, keys.Select(k => k.GetProperty("kid").GetString()));
        foreach (var key in keys)
        {
            var members = key.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Empty(members.Intersect(PrivateMembers));
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.True(key.TryGetProperty("alg", out _));
        }

        Assert.Equal(new[] { "kty", "use", "alg", "kid", "n", "e" }, keys[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "kty", "use", "alg", "kid", "crv", "x", "y" }, keys[1].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ExportPublicJwks_VerifiesIssuedTokens()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.Generate("ES256")));
        var token = issuer.Issue(ScopeSet.Parse("a"));

        var jwks = new JsonWebKeySet(issuer.Keys.ExportPublicJwks());
        var parameters = TestKeys.ValidationParameters(issuer.Keys);
        parameters.IssuerSigningKeys = jwks.GetSigningKeys();

        Assert.True((await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters)).IsValid);
    }

    [Fact]
    public async Task Rotate_OldTokensStillVerify_NewTokensUseNewKid()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.Generate("ES256", "old")));
        var oldToken = issuer.Issue(ScopeSet.Parse("a"));

        issuer.Keys.Rotate(TokenSigningKey.Generate("ES256", "new"));
        var newToken = issuer.Issue(ScopeSet.Parse("a"));

        Assert.Equal("new", new JsonWebToken(newToken).Kid);
        Assert.Equal(new[] { "new", "old" }, issuer.Keys.Keys.Select(k => k.KeyId));
        var handler = new JsonWebTokenHandler();
        Assert.True((await handler.ValidateTokenAsync(oldToken, TestKeys.ValidationParameters(issuer.Keys))).IsValid);
        Assert.True((await handler.ValidateTokenAsync(newToken, TestKeys.ValidationParameters(issuer.Keys))).IsValid);

        Assert.True(issuer.Keys.Retire("old"));
        Assert.False(issuer.Keys.Retire("old"));
        Assert.False((await handler.ValidateTokenAsync(oldToken, TestKeys.ValidationParameters(issuer.Keys))).IsValid);
    }

    [Fact]
    public void Rotate_Retain_DropsOldest()
    {
        var set = new SigningKeySet(TokenSigningKey.Generate("HS256", "1"));
        set.Rotate(TokenSigningKey.Generate("HS256", "2"));
        set.Rotate(TokenSigningKey.Generate("HS256", "3"), retain: 1);

        Assert.Equal(new[] { "3", "2" }, set.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public void Rotate_RaisesChanged()
    {
        var set = new SigningKeySet(TokenSigningKey.Generate("HS256", "1"));
        var raised = 0;
        set.Changed += (_, _) => raised++;

        set.Rotate(TokenSigningKey.Generate("HS256", "2"));
        set.Retire("1");

        Assert.Equal(2, raised);
    }

    [Fact]
    public void DuplicateKeyIds_AreRefused()
    {
        var a = TokenSigningKey.Generate("HS256", "same");
        var b = TokenSigningKey.Generate("HS256", "same");

        Assert.Throws<ArgumentException>(() => new SigningKeySet(a, new[] { b }));
        Assert.Throws<ArgumentException>(() => new SigningKeySet(a).Rotate(b));
    }

    [Fact]
    public void Retire_ActiveKey_IsRefused()
    {
        var set = new SigningKeySet(TokenSigningKey.Generate("HS256", "1"));

        Assert.Throws<InvalidOperationException>(() => set.Retire("1"));
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        var set = new SigningKeySet(TestKeys.Hmac);
        Assert.Throws<ArgumentNullException>(() => new SigningKeySet(null!));
        Assert.Throws<ArgumentException>(() => new SigningKeySet(TestKeys.Hmac, new TokenSigningKey[] { null! }));
        Assert.Throws<ArgumentNullException>(() => set.Rotate(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Rotate(TestKeys.Rsa, -1));
        Assert.Throws<ArgumentNullException>(() => set.Retire(null!));
    }
}
