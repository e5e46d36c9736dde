using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Tests.Conversion;

namespace ScopeClaims.Tests.DependencyInjection;

/// <summary>Every option that would fail at first use fails when the host starts instead, every problem listed with its option path.</summary>
public sealed class OptionsValidationOnStartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("scopeclaims-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(500, 3_600_000, "ScopeTokenOptions.Lifetime", "at least 1 second")]
    [InlineData(0, 3_600_000, "ScopeTokenOptions.Lifetime", "at least 1 second")]
    [InlineData(999, 999, "ScopeTokenOptions.MaxLifetime", "at least 1 second")]
    public async Task HostStart_ProfileLifetimeUnderOneSecond_Fails(long lifetimeMs, long maxLifetimeMs, string option, string rule)
    {
        var ex = await StartProfileAsync(o =>
        {
            o.Lifetime = TimeSpan.FromMilliseconds(lifetimeMs);
            o.MaxLifetime = TimeSpan.FromMilliseconds(maxLifetimeMs);
        });

        Assert.Contains(ex.Failures, f => f.Contains(option, StringComparison.Ordinal) && f.Contains(rule, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ProfileLifetimesOfCenturies_FailListingBoth()
    {
        var ex = await StartProfileAsync(o =>
        {
            o.Lifetime = TimeSpan.FromDays(365 * 3000);
            o.MaxLifetime = TimeSpan.MaxValue;
        });

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.Lifetime ", StringComparison.Ordinal) && f.Contains("at most 366 days", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.MaxLifetime ", StringComparison.Ordinal) && f.Contains("at most 366 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ProfileLifetimeAtTheBounds_Starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            Profile(o);
            o.Lifetime = TimeSpan.FromSeconds(1);
            o.MaxLifetime = TimeSpan.FromDays(366);
        });
        using var host = builder.Build();

        await host.StartAsync();

        var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();
        Assert.NotEmpty(issuer.Issue(ScopeSet.Parse("a")));
        Assert.NotEmpty(issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Lifetime = TimeSpan.FromDays(366) }));
        await host.StopAsync();
    }

    [Fact]
    public async Task HostStart_ProfileProblemsFromConfiguration_AreAllListed()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["P:Issuer"] = "https://issuer.test",
            ["P:Audience"] = "https://partner.test",
            ["P:SigningKey:Jwk"] = TestKeys.Ec.ExportPrivateJwk(),
            ["P:Lifetime"] = "00:00:00.500",
            ["P:MaxLifetime"] = "10675199.02:48:05.4775807",
            ["P:Limits:MaxScopes"] = "-1",
            ["P:Limits:MaxScopeLength"] = "0",
            ["P:Limits:MaxTotalLength"] = "-5",
        });
        builder.Services.AddScopeTokens("p", builder.Configuration.GetSection("P"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("p", ex.OptionsName);
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.Lifetime ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.MaxLifetime ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.Limits.MaxScopes ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.Limits.MaxScopeLength ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.Limits.MaxTotalLength ", StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.Contains("profile 'p'", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ProfileFormatUndefined_Fails()
    {
        var ex = await StartProfileAsync(o => o.Format = (ScopeFormat)42);

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.Format '42'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterKeySourcesThatCannotLoad_FailListingEach()
    {
        File.WriteAllText(Path.Combine(_directory, "empty.json"), """{"keys":[]}""");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(Inbound("https://a.test/", i => i.JwksJson = "not json at all"));
            o.Issuers.Add(Inbound("https://b.test/", i => i.JwksJson = """{"keys":[]}"""));
            o.Issuers.Add(Inbound("https://c.test/", i => i.JwksPath = Path.Combine(_directory, "missing.json")));
            o.Issuers.Add(Inbound("https://d.test/", i => i.JwksPath = Path.Combine(_directory, "empty.json")));
            o.Issuers.Add(Inbound("https://e.test/", i => i.JwksJson = """{"keys":[{"kty":"RSA","n":"AQAB"}]}"""));
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(ScopeTokenConverterOptions), ex.OptionsType);
        // Note: one failure per issuer, each naming its option path; the wording of the JWKS reader's reason is its own.
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.Issuers[0].JwksJson", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.Issuers[1].JwksJson", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.Issuers[2].JwksPath", StringComparison.Ordinal) && f.Contains("missing.json", StringComparison.Ordinal) && f.Contains("cannot be read", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.Issuers[3].JwksPath", StringComparison.Ordinal) && f.Contains("empty.json", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.Issuers[4].JwksJson", StringComparison.Ordinal));
        Assert.Equal(5, ex.Failures.Count());
    }

    [Fact]
    public async Task HostStart_ConverterProfileNameNeverRegistered_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens("partner-a", Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.ProfileName = "partner-b";
            o.Issuers.Add(SourceTokens.Inbound());
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.ProfileName 'partner-b'", StringComparison.Ordinal) && f.Contains("partner-a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterDefaultTargetWithoutDefaultProfile_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScopeTokenConverter(o => o.Issuers.Add(SourceTokens.Inbound()));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.ProfileName", StringComparison.Ordinal) && f.Contains("the default profile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterNumbersAndLimitsOutOfRange_FailListingEach()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(SourceTokens.Inbound());
            o.MaxTokenLength = 0;
            o.MaxJsonDepth = 1;
            o.MaxLifetime = TimeSpan.FromMilliseconds(500);
            o.Limits = new ScopeLimits { MaxScopes = -1, MaxScopeLength = 0, MaxTotalLength = -3 };
            o.AllowedScopes = "a b";
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        foreach (var option in new[] { "MaxTokenLength", "MaxJsonDepth", "MaxLifetime", "Limits.MaxScopes", "Limits.MaxScopeLength", "Limits.MaxTotalLength" })
        {
            Assert.Contains(ex.Failures, f => f.StartsWith($"ScopeTokenConverterOptions.{option} ", StringComparison.Ordinal));
        }

        // Note: AllowedScopes is not parsed against limits that are themselves invalid.
        Assert.DoesNotContain(ex.Failures, f => f.Contains("AllowedScopes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterMaxLifetimeOverAYear_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            Profile(o);
            o.MaxLifetime = TimeSpan.FromDays(366);
        });
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(SourceTokens.Inbound());
            o.MaxLifetime = TimeSpan.MaxValue;
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenConverterOptions.MaxLifetime ", StringComparison.Ordinal) && f.Contains("at most 366 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterNullLimits_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(SourceTokens.Inbound());
            o.Limits = null!;
            o.AllowedScopes = "a";
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenConverterOptions.Limits is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterMaxLifetimeOverTheProfileMaximum_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens("partner", Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.ProfileName = "partner";
            o.Issuers.Add(SourceTokens.Inbound());
            o.MaxLifetime = TimeSpan.FromHours(2);
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.MaxLifetime (02:00:00)", StringComparison.Ordinal) && f.Contains("ScopeTokenOptions.MaxLifetime (01:00:00) of profile 'partner'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterLimitsOverTheProfileLimits_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            Profile(o);
            o.Limits.MaxScopes = 10;
        });
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(SourceTokens.Inbound());
            o.Limits.MaxScopes = 11;
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenConverterOptions.Limits.MaxScopes (11)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterInboundListsHoldingNulls_Fail()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            var inbound = SourceTokens.Inbound();
            inbound.SigningKeys.Add(null!);
            inbound.TokenTypes.Add(" ");
            o.Issuers.Add(inbound);
            o.DecryptionKeys.Add(null!);
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenConverterOptions.Issuers[0].SigningKeys ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenConverterOptions.Issuers[0].TokenTypes ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenConverterOptions.DecryptionKeys ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ConverterCopiedClaimsReservedInAnyCase_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.Issuers.Add(SourceTokens.Inbound());
            o.CopiedClaims.Add("Sub");
            o.CopiedClaims.Add("TYP");
            o.CopiedClaims.Add("Scope");
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("CopiedClaims cannot hold 'Sub'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("CopiedClaims cannot hold 'TYP'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("CopiedClaims cannot hold 'Scope'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_NormalizerOptionsThatFailAtFirstUse_FailListingEach()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeNormalizer(o =>
        {
            o.ClaimTypes.Clear();
            o.MaxPayloadLength = 0;
            o.MaxJsonDepth = 1;
            o.MultipleClaims = (MultipleScopeClaimsBehavior)42;
            o.Limits = new ScopeLimits { MaxScopes = -1, MaxScopeLength = 0, MaxTotalLength = -1 };
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(ScopeNormalizerOptions), ex.OptionsType);
        foreach (var option in new[] { "ClaimTypes", "MaxPayloadLength", "MaxJsonDepth", "MultipleClaims", "Limits.MaxScopes", "Limits.MaxScopeLength", "Limits.MaxTotalLength" })
        {
            Assert.Contains(ex.Failures, f => f.StartsWith($"ScopeNormalizerOptions.{option} ", StringComparison.Ordinal));
        }

        Assert.Contains(ex.Failures, f => f.Contains("'42'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_NormalizerClaimTypesHoldingNullOrRegisteredClaims_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScopeNormalizer(o =>
        {
            o.ClaimTypes.Add(null!);
            o.ClaimTypes.Add("aud");
            o.ClaimTypes.Add("scope");
            o.Limits = null!;
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeNormalizerOptions.ClaimTypes[3] ", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeNormalizerOptions.ClaimTypes[4] 'aud'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeNormalizerOptions.ClaimTypes[5] 'scope'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeNormalizerOptions.Limits is required", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveNormalizer_InvalidOptions_ThrowsOptionsValidationException()
    {
        var services = new ServiceCollection();
        services.AddScopeNormalizer(o => o.MaxJsonDepth = 1);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ScopeNormalizer>());

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeNormalizerOptions.MaxJsonDepth ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_DefaultOptionsEverywhere_Starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddScopeNormalizer();
        builder.Services.AddScopeTokenConverter(o => o.Issuers.Add(SourceTokens.Inbound()));
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    private static async Task<OptionsValidationException> StartProfileAsync(Action<ScopeTokenOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            Profile(o);
            configure(o);
        });
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    private static InboundIssuerOptions Inbound(string issuer, Action<InboundIssuerOptions> keys)
    {
        var inbound = new InboundIssuerOptions { Issuer = issuer };
        inbound.Audiences.Add("https://api.test");
        inbound.Algorithms.Add("RS256");
        keys(inbound);
        return inbound;
    }

    private static void Profile(ScopeTokenOptions o)
    {
        o.Issuer = "https://issuer.test";
        o.Audiences.Add("https://partner.test");
        o.SigningKeys = new SigningKeySet(TestKeys.Ec);
    }
}
