using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScopeClaims.Observability.Tests.Infrastructure;
using ScopeClaims.Tests.Conversion;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Observability.Tests.Metrics;

public class CoreMetricsTests
{
    [Fact]
    public void Issue_InAHost_CountsEveryTokenWithProfileAlgorithmAndFormat()
    {
        using var host = Hosts.Issuing(s => s.AddScopeTokens("spaced", ScopeFormat.SpaceDelimited, o =>
        {
            o.Issuer = Hosts.OurIssuer;
            o.Audiences.Add("https://other.test");
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate("RS256", "rsa-1"));
        }));
        using var issued = host.Collect<long>("ScopeClaims", "scopeclaims.token.issued");
        using var duration = host.Collect<double>("ScopeClaims", "scopeclaims.token.issue.duration");
        var factory = host.Services.GetRequiredService<IScopeTokenIssuerFactory>();

        for (var i = 0; i < 3; i++)
        {
            factory.GetIssuer(string.Empty).Issue(ScopeSet.Parse("read:a"));
        }

        factory.GetIssuer("spaced").Issue(ScopeSet.Parse("read:a write:b"));

        var all = issued.GetMeasurementSnapshot();
        Assert.Equal(4, all.Sum(m => m.Value));
        var byProfile = all.GroupBy(m => (m.Tag("scopeclaims.profile"), m.Tag("scopeclaims.algorithm"), m.Tag("scopeclaims.scope_format"))).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(3, byProfile[(string.Empty, "ES256", "array")]);
        Assert.Equal(1, byProfile[("spaced", "RS256", "space_delimited")]);
        Assert.Equal(4, duration.GetMeasurementSnapshot().Count);
        Assert.All(duration.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
    }

    [Fact]
    public void Issue_Refused_IsTimedWithItsErrorTypeAndNotCounted()
    {
        using var host = Hosts.Issuing();
        using var issued = host.Collect<long>("ScopeClaims", "scopeclaims.token.issued");
        using var duration = host.Collect<double>("ScopeClaims", "scopeclaims.token.issue.duration");
        var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();

        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Lifetime = TimeSpan.FromDays(400) }));

        Assert.Empty(issued.GetMeasurementSnapshot());
        var refused = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(typeof(ArgumentOutOfRangeException).FullName, refused.Tag("error.type"));
    }

    [Fact]
    public async Task Convert_InAHost_CountsEachResultAndRefusalReason()
    {
        using var host = Hosts.Converting();
        using var conversions = host.Collect<long>("ScopeClaims", "scopeclaims.conversion.count");
        using var duration = host.Collect<double>("ScopeClaims", "scopeclaims.conversion.duration");
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        await converter.ConvertAsync(SourceTokens.Build("read:a"));
        await converter.ConvertAsync(SourceTokens.Build(new[] { "read:a", "write:b" }));
        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync("not-a-token"));
        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(SourceTokens.Sign(SourceTokens.Header(alg: "none"), SourceTokens.Payload("a"))));
        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(SourceTokens.Build("read:a", expiresInSeconds: -600)));
        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(SourceTokens.Build("read:a", expiresInSeconds: -600)));

        var counted = conversions.GetMeasurementSnapshot()
            .GroupBy(m => (m.Tag("scopeclaims.result"), m.Tag("scopeclaims.failure_reason")))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(
            new Dictionary<(string?, string?), long>
            {
                [("success", null)] = 2,
                [("refused", "malformed")] = 1,
                [("refused", "algorithm_not_allowed")] = 1,
                [("refused", "expired")] = 2,
            },
            counted);
        Assert.All(conversions.GetMeasurementSnapshot(), m => Assert.Equal(string.Empty, m.Tag("scopeclaims.converter")));
        Assert.Equal(6, duration.GetMeasurementSnapshot().Count);
    }

    [Theory]
    [InlineData("scopeclaims.conversion.duration")]
    [InlineData("scopeclaims.conversion.count")]
    public async Task Convert_OnlyOneInstrumentListened_MeasuresEveryConversion(string instrument)
    {
        var results = instrument.EndsWith(".duration", StringComparison.Ordinal)
            ? await ResultsMeasuredBy<double>(instrument)
            : await ResultsMeasuredBy<long>(instrument);

        Assert.Equal(new[] { "success", "refused" }, results);
    }

    [Fact]
    public async Task Convert_DurationListenedOnlyOnceTheConversionRuns_ThatConversionIsNotTimed()
    {
        // Note: the conversion started with no duration listener, so it has no start time; a listener that arrives while
        // it runs must not be handed a duration measured from the clock's zero.
        var signer = FakeRemoteSigner.Ec();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signer.Hold = release.Task;
        using var host = Hosts.ConvertingThrough(signer);
        using var conversions = host.Collect<long>("ScopeClaims", "scopeclaims.conversion.count");
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        var pending = converter.ConvertAsync(SourceTokens.Build("read:a"));
        Assert.True(SpinWait.SpinUntil(() => signer.Calls == 1, TimeSpan.FromSeconds(30)), "the conversion never reached the signer");
        using var duration = host.Collect<double>("ScopeClaims", "scopeclaims.conversion.duration");
        release.SetResult();
        await pending;

        Assert.Empty(duration.GetMeasurementSnapshot());
        Assert.Equal("success", Assert.Single(conversions.GetMeasurementSnapshot()).Tag("scopeclaims.result"));

        await converter.ConvertAsync(SourceTokens.Build("read:a"));
        Assert.InRange(Assert.Single(duration.GetMeasurementSnapshot()).Value, 0, 60);
    }

    [Fact]
    public async Task Convert_IssuingFails_CountedAsAFailureWithItsErrorType()
    {
        var signer = FakeRemoteSigner.Ec();
        signer.Tamper = _ => new byte[1];
        using var host = Hosts.ConvertingThrough(signer);
        using var conversions = host.Collect<long>("ScopeClaims", "scopeclaims.conversion.count");
        using var duration = host.Collect<double>("ScopeClaims", "scopeclaims.conversion.duration");
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        await Assert.ThrowsAsync<System.Security.Cryptography.CryptographicException>(() => converter.ConvertAsync(SourceTokens.Build("read:a")));

        var failed = Assert.Single(conversions.GetMeasurementSnapshot());
        Assert.Equal("failure", failed.Tag("scopeclaims.result"));
        Assert.Equal(typeof(System.Security.Cryptography.CryptographicException).FullName, failed.Tag("error.type"));
        Assert.Null(failed.Tag("scopeclaims.failure_reason"));
        Assert.Equal("failure", Assert.Single(duration.GetMeasurementSnapshot()).Tag("scopeclaims.result"));
    }

    [Fact]
    public async Task Convert_WithMetadata_CountsEachFetchByIssuerAndResult()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        using var host = Hosts.Converting(authority);
        using var refreshes = host.Collect<long>("ScopeClaims", "scopeclaims.inbound_metadata.refreshes");
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        await converter.ConvertAsync(authority.Token("read:a"));
        await converter.ConvertAsync(authority.Token("read:b"));

        var fetched = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal(1, fetched.Value);
        Assert.Equal(authority.Issuer, fetched.Tag("scopeclaims.inbound_issuer"));
        Assert.Equal("success", fetched.Tag("scopeclaims.result"));
    }

    [Fact]
    public async Task Convert_AuthorityDown_CountsTheFailedFetchAndTheRefusal()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        authority.Mode = LoopbackAuthority.Behavior.ServerError;
        using var host = Hosts.Converting(authority);
        using var refreshes = host.Collect<long>("ScopeClaims", "scopeclaims.inbound_metadata.refreshes");
        using var conversions = host.Collect<long>("ScopeClaims", "scopeclaims.conversion.count");
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        var refused = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(authority.Token("read:a")));

        Assert.Equal(TokenConversionFailure.KeysUnavailable, refused.Reason);
        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => m.Tag("scopeclaims.result") == "failure" && m.Tag("error.type") is not null);
        var conversion = Assert.Single(conversions.GetMeasurementSnapshot());
        Assert.Equal("keys_unavailable", conversion.Tag("scopeclaims.failure_reason"));
    }

    private static async Task<string?[]> ResultsMeasuredBy<T>(string instrument)
        where T : struct
    {
        using var host = Hosts.Converting();
        using var measured = host.Collect<T>("ScopeClaims", instrument);
        var converter = host.Services.GetRequiredService<IScopeTokenConverter>();

        await converter.ConvertAsync(SourceTokens.Build("read:a"));
        await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(SourceTokens.Build("read:a", expiresInSeconds: -600)));

        return measured.GetMeasurementSnapshot().Select(m => m.Tag("scopeclaims.result")).ToArray();
    }
}
