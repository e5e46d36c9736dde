using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Internal;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Tests.DependencyInjection;

/// <summary>
/// The converter options' validator, configuration binder and factory guard, each rule pinned to its whole message and
/// each numeric limit to its exact edge.
/// </summary>
public sealed class ConverterOptionsMutationTests
{
    private const string Issuers0 = "ScopeTokenConverterOptions.Issuers[0]";

    [Fact]
    public void Validate_NullOptions_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => ScopeTokenConverterOptionsValidator.Instance.Validate("partner", null!));

        Assert.Equal("options", ex.ParamName);
    }

    [Theory]
    [InlineData(null, "the default converter")]
    [InlineData("", "the default converter")]
    [InlineData("partner", "converter 'partner'")]
    public void Validate_NoIssuer_FailsNamingTheConverter(string? name, string converter)
    {
        var failures = Failures(name, new ScopeTokenConverterOptions());

        Assert.Equal([$"ScopeTokenConverterOptions.Issuers needs at least one inbound issuer ({converter})."], failures);
    }

    [Fact]
    public void Validate_ValidOptions_Succeeds()
    {
        var result = ScopeTokenConverterOptionsValidator.Instance.Validate("partner", Valid());

        Assert.True(result.Succeeded);
        Assert.Null(result.Failures);
    }

    [Fact]
    public void Validate_NullInboundIssuerEntry_FailsNamingItsIndexAndChecksTheOthers()
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(null!);
        options.Issuers.Add(SourceTokens.Inbound());
        options.Issuers.Add(null!);

        var failures = Failures("partner", options);

        Assert.Equal(
            [
                "ScopeTokenConverterOptions.Issuers[0] is null (converter 'partner').",
                "ScopeTokenConverterOptions.Issuers[2] is null (converter 'partner').",
            ],
            failures);
    }

    [Fact]
    public void Validate_IssuerConfiguredTwice_FailsNamingTheSecondEntry()
    {
        var options = Valid();
        options.Issuers.Add(SourceTokens.Inbound());

        var failures = Failures(null, options);

        Assert.Equal([$"ScopeTokenConverterOptions.Issuers[1].Issuer '{SourceTokens.Auth0}' is configured twice (the default converter)."], failures);
    }

    [Fact]
    public void Validate_IssuersDifferingOnlyInLetterCase_AreNotDuplicates()
    {
        var options = Valid();
        var upper = SourceTokens.Inbound();
        upper.Issuer = SourceTokens.Auth0.ToUpperInvariant();
        options.Issuers.Add(upper);

        var result = ScopeTokenConverterOptionsValidator.Instance.Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BlankIssuerTwice_FailsAsRequiredNotAsDuplicate(string? blank)
    {
        var options = new ScopeTokenConverterOptions();
        for (var i = 0; i < 2; i++)
        {
            var inbound = SourceTokens.Inbound();
            inbound.Issuer = blank;
            options.Issuers.Add(inbound);
        }

        var failures = Failures("partner", options);

        Assert.Equal(
            [
                "ScopeTokenConverterOptions.Issuers[0].Issuer is required (converter 'partner').",
                "ScopeTokenConverterOptions.Issuers[1].Issuer is required (converter 'partner').",
            ],
            failures);
    }

    [Fact]
    public void Validate_NullProfileName_FailsAsRequired()
    {
        var options = Valid();
        options.ProfileName = null!;

        var failures = Failures("partner", options);

        Assert.Equal(["ScopeTokenConverterOptions.ProfileName is required (converter 'partner')."], failures);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1024 * 1024)]
    public void Validate_MaxTokenLengthAtItsBounds_Succeeds(int length)
    {
        var options = Valid();
        options.MaxTokenLength = length;

        Assert.True(ScopeTokenConverterOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(255)]
    [InlineData((1024 * 1024) + 1)]
    public void Validate_MaxTokenLengthOneBeyondItsBounds_Fails(int length)
    {
        var options = Valid();
        options.MaxTokenLength = length;

        var failures = Failures(null, options);

        Assert.Equal([$"ScopeTokenConverterOptions.MaxTokenLength ({length}) must be between 256 and 1048576 (the default converter)."], failures);
    }

    [Fact]
    public void Validate_EncryptedTokensWithoutDecryptionKeys_Fails()
    {
        var options = Valid();
        options.AllowEncryptedTokens = true;

        var failures = Failures("partner", options);

        Assert.Equal(["ScopeTokenConverterOptions.AllowEncryptedTokens needs DecryptionKeys (converter 'partner')."], failures);
    }

    [Fact]
    public void Validate_EncryptedTokensWithADecryptionKey_Succeeds()
    {
        var options = Valid();
        options.AllowEncryptedTokens = true;
        options.DecryptionKeys.Add(new SymmetricSecurityKey(new byte[32]));

        Assert.True(ScopeTokenConverterOptionsValidator.Instance.Validate("partner", options).Succeeded);
    }

    [Fact]
    public void Validate_OneBlankAudienceAmongOthers_Fails()
    {
        var options = Valid();
        options.Issuers[0].Audiences.Add(" ");

        var failures = Failures("partner", options);

        Assert.Equal([$"{Issuers0}.Audiences needs at least one non-empty audience (converter 'partner')."], failures);
    }

    [Fact]
    public void Validate_NoAlgorithm_Fails()
    {
        var options = Valid();
        options.Issuers[0].Algorithms.Clear();

        var failures = Failures("partner", options);

        Assert.Equal([$"{Issuers0}.Algorithms needs at least one algorithm, e.g. RS256 (converter 'partner')."], failures);
    }

    [Fact]
    public void Validate_UnsupportedAlgorithm_FailsListingTheSupportedOnes()
    {
        var options = Valid();
        options.Issuers[0].Algorithms.Add("none");

        var failures = Failures("partner", options);

        // The list in the order TokenSigningAlgorithms.All gives it; every algorithm is in it.
        Assert.Equal(12, TokenSigningAlgorithms.All.Count);
        Assert.Equal(
            [$"{Issuers0}.Algorithms holds 'none', which is not one of {string.Join(", ", TokenSigningAlgorithms.All)} (converter 'partner')."],
            failures);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(5 * TimeSpan.TicksPerMinute)]
    public void Validate_ClockSkewAtItsBounds_Succeeds(long ticks)
    {
        var options = Valid();
        options.Issuers[0].ClockSkew = TimeSpan.FromTicks(ticks);

        Assert.True(ScopeTokenConverterOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData((5 * TimeSpan.TicksPerMinute) + 1)]
    public void Validate_ClockSkewOneTickBeyondItsBounds_Fails(long ticks)
    {
        var options = Valid();
        options.Issuers[0].ClockSkew = TimeSpan.FromTicks(ticks);

        var failures = Failures(null, options);

        Assert.Equal([$"{Issuers0}.ClockSkew must be between 0 and 5 minutes (the default converter)."], failures);
    }

    [Fact]
    public void Validate_MetadataRefreshIntervalOfOneSecond_Succeeds()
    {
        var options = Valid();
        options.Issuers[0].MetadataRefreshInterval = TimeSpan.FromSeconds(1);

        Assert.True(ScopeTokenConverterOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_MetadataRefreshIntervalOneTickUnderOneSecond_Fails()
    {
        var options = Valid();
        options.Issuers[0].MetadataRefreshInterval = TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1);

        var failures = Failures("partner", options);

        Assert.Equal([$"{Issuers0}.MetadataRefreshInterval must be at least 1 second (converter 'partner')."], failures);
    }

    [Fact]
    public void Validate_TwoKeySources_FailsListingBoth()
    {
        var options = Valid();
        options.Issuers[0].Authority = new Uri("https://login.test/");

        var failures = Failures("partner", options);

        Assert.Equal([$"{Issuers0} has several key sources (SigningKeys, Authority); set exactly one (converter 'partner')."], failures);
    }

    [Fact]
    public void Bind_EveryConverterOption_IsRead()
    {
        var jwks = new SigningKeySet(SourceTokens.IssuerKey).ExportPublicJwks();
        var configuration = Section(new Dictionary<string, string?>
        {
            ["Converter:ProfileName"] = "partner",
            ["Converter:AllowedScopes"] = "read:a write:b",
            ["Converter:MaxTokenLength"] = "4096",
            ["Converter:MaxJsonDepth"] = "8",
            ["Converter:MaxLifetime"] = "00:10:00",
            ["Converter:AllowEncryptedTokens"] = "true",
            ["Converter:Limits:MaxScopes"] = "5",
            ["Converter:Limits:MaxScopeLength"] = "50",
            ["Converter:Limits:MaxTotalLength"] = "500",
            ["Converter:CopiedClaims:0"] = "tenant",
            ["Converter:CopiedClaims:1"] = "azp",
            ["Converter:Issuers:0:Issuer"] = SourceTokens.Auth0,
            ["Converter:Issuers:0:JwksJson"] = jwks,
            ["Converter:Issuers:0:Audience"] = "https://single.test",
            ["Converter:Issuers:0:Audiences:0"] = SourceTokens.Api,
            ["Converter:Issuers:0:Algorithms:0"] = "RS256",
            ["Converter:Issuers:0:TokenTypes:0"] = "at+jwt",
            ["Converter:Issuers:0:TokenTypes:1"] = "JWT",
            ["Converter:Issuers:0:ClockSkew"] = "00:01:00",
            ["Converter:Issuers:0:MetadataRefreshInterval"] = "00:00:30",
            ["Converter:Issuers:1:Issuer"] = "https://second.test/",
            ["Converter:Issuers:1:JwksPath"] = "/keys/second.json",
            ["Converter:Issuers:1:Authority"] = "https://second.test/",
            ["Converter:Issuers:1:MetadataAddress"] = "https://second.test/meta",
        });
        var options = new ScopeTokenConverterOptions();

        ScopeTokenConverterOptionsBinder.Bind(configuration, options);

        Assert.Equal("partner", options.ProfileName);
        Assert.Equal("read:a write:b", options.AllowedScopes);
        Assert.Equal(4096, options.MaxTokenLength);
        Assert.Equal(8, options.MaxJsonDepth);
        Assert.Equal(TimeSpan.FromMinutes(10), options.MaxLifetime);
        Assert.True(options.AllowEncryptedTokens);
        Assert.Equal((5, 50, 500), (options.Limits.MaxScopes, options.Limits.MaxScopeLength, options.Limits.MaxTotalLength));
        Assert.Equal(["tenant", "azp"], options.CopiedClaims);
        Assert.Equal(2, options.Issuers.Count);
        var first = options.Issuers[0];
        Assert.Equal(SourceTokens.Auth0, first.Issuer);
        Assert.Equal(jwks, first.JwksJson);
        Assert.Null(first.JwksPath);
        Assert.Equal(["https://single.test", SourceTokens.Api], first.Audiences);
        Assert.Equal(["RS256"], first.Algorithms);
        Assert.Equal(["at+jwt", "JWT"], first.TokenTypes);
        Assert.Null(first.Authority);
        Assert.Equal(TimeSpan.FromMinutes(1), first.ClockSkew);
        Assert.Equal(TimeSpan.FromSeconds(30), first.MetadataRefreshInterval);
        var second = options.Issuers[1];
        Assert.Equal("https://second.test/", second.Issuer);
        Assert.Null(second.JwksJson);
        Assert.Equal("/keys/second.json", second.JwksPath);
        Assert.Equal(new Uri("https://second.test/"), second.Authority);
        Assert.Equal(new Uri("https://second.test/meta"), second.MetadataAddress);
        Assert.Empty(second.Audiences);
        Assert.Empty(second.TokenTypes);
        Assert.Equal(TimeSpan.FromSeconds(30), second.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(5), second.MetadataRefreshInterval);
    }

    [Fact]
    public void Bind_NoCopiedClaimsSection_KeepsTheDefaults()
    {
        var configuration = Section(new Dictionary<string, string?> { ["Converter:ProfileName"] = "partner" });
        var options = new ScopeTokenConverterOptions();

        ScopeTokenConverterOptionsBinder.Bind(configuration, options);

        Assert.Equal("partner", options.ProfileName);
        Assert.Equal(["azp", "client_id", "gty"], options.CopiedClaims);
    }

    [Fact]
    public void Problems_ValuesThatDoNotParse_NameTheirConfigurationPaths()
    {
        var configuration = Section(new Dictionary<string, string?>
        {
            ["Converter:MaxJsonDepth"] = "deep",
            ["Converter:MaxLifetime"] = "soon",
            ["Converter:AllowEncryptedTokens"] = "maybe",
            ["Converter:Limits:MaxScopes"] = "many",
            ["Converter:Limits:MaxScopeLength"] = "long",
            ["Converter:Limits:MaxTotalLength"] = "longer",
            ["Converter:Issuers:0:Issuer"] = SourceTokens.Auth0,
            ["Converter:Issuers:0:ClockSkew"] = "a little",
            ["Converter:Issuers:0:MetadataRefreshInterval"] = "often",
        });

        var problems = ScopeTokenConverterOptionsBinder.Problems(configuration);

        Assert.Equal(
            [
                "Configuration value 'Converter:MaxJsonDepth' is not an integer.",
                "Configuration value 'Converter:MaxLifetime' is not a time span such as 00:05:00.",
                "Configuration value 'Converter:AllowEncryptedTokens' is not true or false.",
                "Configuration value 'Converter:Limits:MaxScopes' is not an integer.",
                "Configuration value 'Converter:Limits:MaxScopeLength' is not an integer.",
                "Configuration value 'Converter:Limits:MaxTotalLength' is not an integer.",
                "Configuration value 'Converter:Issuers:0:ClockSkew' is not a time span such as 00:05:00.",
                "Configuration value 'Converter:Issuers:0:MetadataRefreshInterval' is not a time span such as 00:05:00.",
            ],
            problems);
    }

    [Fact]
    public void Problems_FormerProfileKeyAtTheConfigurationRoot_NamesTheKeysWithoutAPrefix()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TargetProfile"] = "partner" })
            .Build();

        var problems = ScopeTokenConverterOptionsBinder.Problems(configuration);

        Assert.Equal(["Configuration value 'TargetProfile' is no longer read; name the profile with 'ProfileName'."], problems);
    }

    [Fact]
    public void Problems_FormerProfileKeyInASection_NamesTheKeysWithTheSectionPath()
    {
        var configuration = Section(new Dictionary<string, string?> { ["Converter:TargetProfile"] = "partner" });

        var problems = ScopeTokenConverterOptionsBinder.Problems(configuration);

        Assert.Equal(["Configuration value 'Converter:TargetProfile' is no longer read; name the profile with 'Converter:ProfileName'."], problems);
    }

    [Fact]
    public void GetConverter_NullName_ThrowsArgumentNullExceptionForName()
    {
        var services = new ServiceCollection();
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(TestKeys.Ec);
        });
        services.AddScopeTokenConverter(o => o.Issuers.Add(SourceTokens.Inbound()));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IScopeTokenConverterFactory>();

        var ex = Assert.Throws<ArgumentNullException>(() => factory.GetConverter(null!));

        Assert.Equal("name", ex.ParamName);
        Assert.NotNull(factory.GetConverter(Options.DefaultName));
    }

    private static ScopeTokenConverterOptions Valid()
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        return options;
    }

    private static string[] Failures(string? name, ScopeTokenConverterOptions options)
    {
        var result = ScopeTokenConverterOptionsValidator.Instance.Validate(name, options);
        Assert.True(result.Failed);
        return result.Failures!.ToArray();
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Converter");
}
