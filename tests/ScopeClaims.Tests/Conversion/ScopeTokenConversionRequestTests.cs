using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Conversion;

/// <summary>Narrowing one conversion: exact scopes (all granted by the source), an upper bound, and the audiences.</summary>
public class ScopeTokenConversionRequestTests
{
    private static ScopeTokenConverter Converter(Action<ScopeTokenConverterOptions>? configure = null, string[]? profile = null)
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        configure?.Invoke(options);
        var target = TestKeys.Options(TestKeys.Ec, ScopeFormat.Array);
        if (profile is not null)
        {
            target.Audiences.Clear();
            foreach (var audience in profile)
            {
                target.Audiences.Add(audience);
            }
        }

        return new ScopeTokenConverter(options, new ScopeTokenIssuer(target));
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
    public async Task ConvertAsync_AudiencesSubsetOfTheProfiles_ReplaceTheProfilesInTheNewToken()
    {
        var result = await Converter(profile: ["https://one.test", "https://two.test", "https://three.test"])
            .ConvertAsync(SourceTokens.Build("read:a"), new ScopeTokenConversionRequest { Audiences = ["https://two.test", "https://one.test"] });

        Assert.Equal(["https://two.test", "https://one.test"], new JsonWebToken(result.Token).Audiences);
    }

    public static TheoryData<string[]> AudiencesOutsideTheProfile => new()
    {
        new[] { "https://elsewhere.test" },
        new[] { "https://partner.test", "https://elsewhere.test" },
        new[] { "https://partner.test/" },
        new[] { "HTTPS://PARTNER.TEST" },
        Array.Empty<string>(),
    };

    [Theory]
    [MemberData(nameof(AudiencesOutsideTheProfile))]
    public async Task ConvertAsync_AudienceNotInTheTargetProfile_RefusedWithAudienceNotAllowed(string[] audiences)
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() =>
            Converter().ConvertAsync(SourceTokens.Build("read:a"), new ScopeTokenConversionRequest { Audiences = audiences }));

        Assert.Equal(TokenConversionFailure.AudienceNotAllowed, ex.Reason);
        Assert.Equal("The requested audiences must be one or more of the target profile's audiences.", ex.Message);
    }

    [Fact]
    public async Task ConvertAsync_AudiencesWithACustomIssuer_RefusedSinceTheProfilesAudiencesAreUnknown()
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        var converter = new ScopeTokenConverter(options, new CustomIssuer(new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec))));

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() =>
            converter.ConvertAsync(SourceTokens.Build("read:a"), new ScopeTokenConversionRequest { Audiences = ["https://partner.test"] }));

        Assert.Equal(TokenConversionFailure.AudienceNotAllowed, ex.Reason);
        Assert.Equal("The requested audiences cannot be checked against the target profile: its issuer is not a ScopeTokenIssuer.", ex.Message);
    }

    [Fact]
    public async Task ConvertAsync_AllowedScopesDisjointFromTheSources_RefusedRatherThanAnEmptyToken()
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() =>
            Converter().ConvertAsync(SourceTokens.Build("admin"), new ScopeTokenConversionRequest { AllowedScopes = ScopeSet.Parse("read:a write:b") }));

        Assert.Equal(TokenConversionFailure.ScopeNotGranted, ex.Reason);
        Assert.Equal("The token grants none of the scopes allowed for this conversion.", ex.Message);
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

    /// <summary>An issuer that is not a ScopeTokenIssuer (it forwards to one).</summary>
    private sealed class CustomIssuer(IScopeTokenIssuer inner) : IScopeTokenIssuer
    {
        public string Issuer => inner.Issuer;

        public SigningKeySet Keys => inner.Keys;

        public string TokenType => inner.TokenType;

        public string Issue(ScopeTokenRequest request) => inner.Issue(request);

        public string Issue(ScopeTokenRequest request, out DateTimeOffset expiresAt) => inner.Issue(request, out expiresAt);
    }
}
