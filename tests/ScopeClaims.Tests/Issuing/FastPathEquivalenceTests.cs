using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Scopes;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Issuing;

/// <summary>The fast issuing path must produce tokens JsonWebTokenHandler validates, with the very claims of the handler path.</summary>
public class FastPathEquivalenceTests
{
    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 30];
    private static readonly Gen<string> ClaimName = Gen.String[Gen.Char['a', 'z'], 1, 10].Select(n => "x_" + n);
    private static readonly Gen<object> ClaimValue = Gen.OneOf<object>(
        AnyText.Select(s => (object)s),
        Gen.String[Gen.Char['\u00C0', '\u024F'], 1, 10].Select(s => (object)("ünïcödé " + s + " \"quoted\" \\ <&>")),
        Gen.Int.Select(i => (object)i),
        Gen.Long.Select(l => (object)l),
        Gen.Bool.Select(b => (object)b),
        Gen.Double[-1e9, 1e9].Select(d => (object)d),
        AnyText.Array[0, 4].Select(a => (object)a.ToList()));

    [Fact]
    public async Task FastPath_AgreesWithJsonWebTokenHandler_OnRandomClaimsAndScopes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new[] { TestKeys.Hmac, TestKeys.Ec, TestKeys.Rsa, TokenSigningKey.Generate("PS256"), TokenSigningKey.Generate("HS512"), TokenSigningKey.Generate("ES512") };
        var formats = new[] { ScopeFormat.Array, ScopeFormat.SpaceDelimited, ScopeFormat.Both };
        var claims = Gen.Dictionary(ClaimName, ClaimValue)[0, 6];
        var handler = new JsonWebTokenHandler();

        await Gen.Select(ScopePropertyTests.Scopes, claims, Gen.Int[0, keys.Length - 1], Gen.Int[0, 2], Gen.Bool).SampleAsync(async (scopes, extra, k, f, severalAudiences) =>
        {
            var options = TestKeys.Options(keys[k], formats[f]);
            if (severalAudiences)
            {
                options.Audiences.Add("https://second.test");
            }

            var issuer = new ScopeTokenIssuer(options, timeProvider: time);
            var request = new ScopeTokenRequest(ScopeSet.Create(scopes)) { Subject = "subject é", Claims = extra };

            var fast = issuer.Issue(request);
            var plain = issuer.IssueWithHandler(request);

            var fastPayload = WithoutJti(ScopeSerializerTests.Payload(fast));
            var plainPayload = WithoutJti(ScopeSerializerTests.Payload(plain));
#if NET9_0_OR_GREATER
            Assert.True(JsonElement.DeepEquals(fastPayload, plainPayload), $"fast: {fastPayload}\nplain: {plainPayload}");
#else
            // Note: JsonElement.DeepEquals is .NET 9+; .NET 8's JsonNode.DeepEquals compares the same way for these payloads.
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(fastPayload.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(plainPayload.GetRawText())), $"fast: {fastPayload}\nplain: {plainPayload}");
#endif
            Assert.Equal(new JsonWebToken(plain).Alg, new JsonWebToken(fast).Alg);
            Assert.Equal(new JsonWebToken(plain).Kid, new JsonWebToken(fast).Kid);
            Assert.Equal(new JsonWebToken(plain).Typ, new JsonWebToken(fast).Typ);
            Assert.Equal(22, ScopeSerializerTests.Payload(fast).GetProperty("jti").GetString()!.Length);

            var parameters = TestKeys.ValidationParameters(issuer.Keys);
            parameters.ValidAudiences = options.Audiences;
            parameters.LifetimeValidator = (_, _, _, _) => true;
            var result = await handler.ValidateTokenAsync(fast, parameters);
            Assert.True(result.IsValid, result.Exception?.Message);
        }, iter: 400);
    }

    [Fact]
    public void FastPath_UnknownClaimValueType_FallsBackToTheHandler()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TestKeys.Hmac));

        var token = issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Claims = new Dictionary<string, object> { ["when"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) } });

        Assert.True(ScopeSerializerTests.Payload(token).TryGetProperty("when", out _));
    }

    [Fact]
    public void FastPath_AfterRotation_UsesTheNewKeysHeader()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TokenSigningKey.Generate("HS256", "one")));
        Assert.Equal("one", new JsonWebToken(issuer.Issue(ScopeSet.Empty)).Kid);

        issuer.Keys.Rotate(TokenSigningKey.Generate("ES256", "two"));

        var token = new JsonWebToken(issuer.Issue(ScopeSet.Empty));
        Assert.Equal("two", token.Kid);
        Assert.Equal("ES256", token.Alg);
    }

    [Fact]
    public void FastPath_AThousandScopes_WritesThemAllInOneArray()
    {
        var options = TestKeys.Options(TestKeys.Hmac);
        options.Limits = new ScopeLimits { MaxScopes = 1000, MaxTotalLength = 100_000 };
        var scopes = ScopeSet.Create(Enumerable.Range(0, 1000).Select(i => $"scope:{i}"), options.Limits);

        var token = new ScopeTokenIssuer(options).Issue(scopes);

        Assert.Equal(1000, ScopeSerializerTests.Payload(token).GetProperty("scope").GetArrayLength());
    }

    private static JsonElement WithoutJti(JsonElement payload)
    {
        var copy = payload.EnumerateObject().Where(p => p.Name != "jti").ToDictionary(p => p.Name, p => p.Value);
        return JsonSerializer.SerializeToElement(copy);
    }
}
