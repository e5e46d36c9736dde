using CsCheck;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Scopes;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Conversion;

public class ConversionPropertyTests
{
    [Fact]
    public async Task AnyValidSetInAnySourceShape_ConvertsToTheSameSet_NeverLaterThanTheSource()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TestKeys.Hmac));
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        var converter = new ScopeTokenConverter(options, issuer);
        var parameters = TestKeys.ValidationParameters(issuer.Keys);
        var handler = new JsonWebTokenHandler();

        var shapes = Gen.Int[0, 3];
        var lifetimes = Gen.Int[30, 7200];
        await Gen.Select(ScopePropertyTests.Scopes.Where(s => s.Length > 0), shapes, lifetimes).SampleAsync(async (scopes, shape, lifetime) =>
        {
            var set = ScopeSet.Create(scopes);
            object value = shape % 2 == 0 ? set.ToString() : set.ToArray();
            var claim = shape < 2 ? "scope" : "scp";
            var source = SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload(value, claim, lifetime));

            var result = await converter.ConvertAsync(source);

            var converted = new JsonWebToken(result.Token);
            Assert.Equal(set, ScopeNormalizer.Default.Read(converted));
            Assert.True(converted.ValidTo <= new JsonWebToken(source).ValidTo);
            Assert.True((await handler.ValidateTokenAsync(result.Token, parameters)).IsValid);
        }, iter: 150);
    }

    [Fact]
    public async Task AnyConversionWithAnAllowlist_IsASubsetOfTheSource()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(TestKeys.Hmac));

        await Gen.Select(ScopePropertyTests.Scopes.Where(s => s.Length > 0), ScopePropertyTests.Scopes).SampleAsync(async (source, allowed) =>
        {
            var options = new ScopeTokenConverterOptions { AllowedScopes = string.Join(' ', allowed) };
            options.Issuers.Add(SourceTokens.Inbound());
            var sourceSet = ScopeSet.Create(source);

            var result = await new ScopeTokenConverter(options, issuer).ConvertAsync(SourceTokens.Build(sourceSet.ToArray()));

            Assert.True(result.Scopes.IsSubsetOf(sourceSet));
            Assert.True(result.Scopes.IsSubsetOf(ScopeSet.Create(allowed)));
            Assert.Equal(result.Scopes, ScopeNormalizer.Default.ReadPayloadJson(Base64UrlEncoder.Decode(result.Token.Split('.')[1])));
        }, iter: 100);
    }
}
