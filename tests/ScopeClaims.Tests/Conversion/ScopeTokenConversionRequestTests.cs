using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Conversion;

/// <summary>Narrowing one conversion: exact scopes (all granted by the source), an upper bound, and the audiences.</summary>
public class ScopeTokenConversionRequestTests
{
    private static ScopeTokenConverter Converter(Action<ScopeTokenConverterOptions>? configure = null)
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        configure?.Invoke(options);
        return new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec, ScopeFormat.Array)));
    }

    [Fact]
    public async Task ConvertAsync_RequestedSubset_CarriesExactlyThoseScopes()
    {
        var result = await Converter().ConvertAsync(SourceTokens.Build("read:a write:b admin"), new ScopeTokenConversionRequest { Scopes = ScopeSet.Parse("write:b") });

        Assert.Equal(ScopeSet.Parse("write:b"), result.Scopes);
        Assert.Equal("""["write:b"]""", ScopeSerializerTests.Payload(result.Token).GetProperty("scope").GetRawText());
    }

    [Fact]
    public async Task ConvertAsync_RequestedScopeNotGranted_RefusedWithScopeNotGranted()
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() =>
            Converter().ConvertAsync(SourceTokens.Build("read:a"), new ScopeTokenConversionRequest { Scopes = ScopeSet.Parse("read:a admin") }));

        Assert.Equal(TokenConversionFailure.ScopeNotGranted, ex.Reason);
        Assert.Equal("1 requested scope(s) are not granted by the token.", ex.Message);
    }

    [Fact]
    public async Task ConvertAsync_RequestedScopeRemovedByTheConvertersAllowedScopes_Refused()
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() =>
            Converter(o => o.AllowedScopes = "read:a").ConvertAsync(SourceTokens.Build("read:a admin"), new ScopeTokenConversionRequest { Scopes = ScopeSet.Parse("admin") }));

        Assert.Equal(TokenConversionFailure.ScopeNotGranted, ex.Reason);
    }

    [Fact]
    public async Task ConvertAsync_AllowedScopes_IntersectsAndBoundsTheRequest()
    {
        var converter = Converter();
        var bounded = await converter.ConvertAsync(SourceTokens.Build("read:a write:b admin"), new ScopeTokenConversionRequest { AllowedScopes = ScopeSet.Parse("read:a admin other") });
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(
            SourceTokens.Build("read:a write:b"),
            new ScopeTokenConversionRequest { AllowedScopes = ScopeSet.Parse("read:a"), Scopes = ScopeSet.Parse("write:b") }));

        Assert.Equal(ScopeSet.Parse("read:a admin"), bounded.Scopes);
        Assert.Equal(TokenConversionFailure.ScopeNotGranted, ex.Reason);
    }

    [Fact]
    public async Task ConvertAsync_Audiences_ReplaceTheProfilesInTheNewToken()
    {
        var result = await Converter().ConvertAsync(SourceTokens.Build("read:a"), new ScopeTokenConversionRequest { Audiences = ["https://one.test", "https://two.test"] });

        Assert.Equal(["https://one.test", "https://two.test"], new JsonWebToken(result.Token).Audiences);
    }

    [Fact]
    public async Task ConvertAsync_NullRequest_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Converter().ConvertAsync(SourceTokens.Build("read:a"), (ScopeTokenConversionRequest)null!));
    }

    [Fact]
    public async Task ConvertAsync_DefaultInterfaceImplementation_ForwardsAnEmptyRequestAndRefusesNarrowing()
    {
        IScopeTokenConverter custom = new OnlyPlainConversion(Converter());
        var source = SourceTokens.Build("read:a");

        var plain = await custom.ConvertAsync(source, new ScopeTokenConversionRequest());
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => custom.ConvertAsync(source, new ScopeTokenConversionRequest { Scopes = ScopeSet.Parse("read:a") }));

        Assert.Equal(ScopeSet.Parse("read:a"), plain.Scopes);
        Assert.Contains("OnlyPlainConversion cannot narrow", ex.Message, StringComparison.Ordinal);
    }

    private sealed class OnlyPlainConversion(IScopeTokenConverter inner) : IScopeTokenConverter
    {
        public Task<ScopeTokenConversion> ConvertAsync(string token, CancellationToken cancellationToken = default) => inner.ConvertAsync(token, cancellationToken);
    }
}
