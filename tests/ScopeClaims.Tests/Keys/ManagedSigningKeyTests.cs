using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Keys;

/// <summary>The seam through which a key manager supplies a profile's keys: SigningKey.Managed, its refusals, and signing schedules.</summary>
public sealed class ManagedSigningKeyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HostStart_ManagedWithoutKeyManager_FailsNamingTheMissingRegistration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o => Profile(o));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("SigningKey.Managed is set, but no key manager is registered", StringComparison.Ordinal) && f.Contains("AddScopeTokenKeyManagement", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_TwoManagedKeySources_FailsNamingBoth()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o => Profile(o));
        builder.Services.AddSingleton<IManagedSigningKeySource>(new FakeKeySource(new SigningKeySet(TestKeys.Ec)));
        builder.Services.AddSingleton<IManagedSigningKeySource>(new OtherKeySource());
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("2 managed key sources are registered (FakeKeySource, OtherKeySource)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Path")]
    [InlineData("Pem")]
    [InlineData("Jwk")]
    [InlineData("CertificatePath")]
    [InlineData("Algorithm")]
    [InlineData("KeyId")]
    public async Task HostStart_ManagedWithAnotherKeySource_FailsNamingBoth(string other)
    {
        var source = new FakeKeySource(new SigningKeySet(TestKeys.Ec));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IManagedSigningKeySource>(source);
        builder.Services.AddArrayScopeTokens(o =>
        {
            Profile(o);
            switch (other)
            {
                case "Path": o.SigningKey.Path = "/nonexistent/key.pem"; break;
                case "Pem": o.SigningKey.Pem = "-----BEGIN PRIVATE KEY-----"; break;
                case "Jwk": o.SigningKey.Jwk = "{}"; break;
                case "CertificatePath": o.SigningKey.CertificatePath = "/nonexistent/c.pfx"; break;
                case "Algorithm": o.SigningKey.Algorithm = "ES256"; break;
                default: o.SigningKey.KeyId = "k1"; break;
            }
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("SigningKey.Managed is set together with SigningKey." + other, StringComparison.Ordinal));
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task HostStart_ManagedAndSigningKeysInCode_FailsNamingBoth()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IManagedSigningKeySource>(new FakeKeySource(new SigningKeySet(TestKeys.Ec)));
        builder.Services.AddArrayScopeTokens(o =>
        {
            Profile(o);
            o.SigningKeys = new SigningKeySet(TestKeys.Rsa);
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("SigningKeys and ScopeTokenOptions.SigningKey are both set", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_ManagedProfileMadeInCode_ThrowsOptionsValidationException()
    {
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test" };
        options.Audiences.Add("https://partner.test");
        options.SigningKey.Managed = true;

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains(ex.Failures, f => f.Contains("no key manager is registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Issue_ManagedFromConfiguration_SignsWithTheKeyManagersKeyAndPublishesItsSet()
    {
        var announced = TokenSigningKey.Generate("ES256", "announced");
        var set = new SigningKeySet(TestKeys.Ec);
        set.Replace([new SigningWindow(TestKeys.Ec, Start, Start.AddDays(1))], [TestKeys.Ec, announced]);
        var source = new FakeKeySource(set);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScopeTokens:Issuer"] = "https://issuer.test",
            ["ScopeTokens:Audiences:0"] = "https://partner.test",
            ["ScopeTokens:SigningKey:Managed"] = "true",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start.AddHours(1)));
        builder.Services.AddSingleton<IManagedSigningKeySource>(source);
        builder.Services.AddArrayScopeTokens(configuration.GetSection("ScopeTokens"));
        using var host = builder.Build();
        await host.StartAsync();

        var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();
        var token = new JsonWebToken(issuer.Issue(ScopeSet.Parse("a")));

        Assert.Equal(TestKeys.Ec.KeyId, token.Kid);
        Assert.Same(set, issuer.Keys);
        Assert.Equal(["ec-1", "announced"], issuer.Keys.Keys.Select(k => k.KeyId));
        Assert.Contains("\"announced\"", issuer.Keys.ExportPublicJwks(), StringComparison.Ordinal);
        Assert.All(source.Profiles, p => Assert.Equal(string.Empty, p));
    }

    [Fact]
    public void Bind_ManagedNotABoolean_IsReportedWithItsPath()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScopeTokens:Issuer"] = "https://issuer.test",
            ["ScopeTokens:Audiences:0"] = "https://partner.test",
            ["ScopeTokens:SigningKey:Managed"] = "yes",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IManagedSigningKeySource>(new FakeKeySource(new SigningKeySet(TestKeys.Ec)));
        services.AddArrayScopeTokens(configuration.GetSection("ScopeTokens"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<ScopeTokenOptions>>().Get(Options.DefaultName));

        Assert.Contains(ex.Failures, f => f.Contains("'ScopeTokens:SigningKey:Managed' is not true or false", StringComparison.Ordinal));
    }

    [Fact]
    public void Issue_ScheduleHandsOver_SignsWithEachWindowsKeyAtItsExactMoment()
    {
        var first = TokenSigningKey.Generate("ES256", "first");
        var second = TokenSigningKey.Generate("ES256", "second");
        var set = new SigningKeySet(first);
        var handOver = Start.AddDays(1);
        set.Replace([new SigningWindow(first, Start, handOver), new SigningWindow(second, handOver, handOver.AddDays(1))], [first, second]);
        var time = new FakeTimeProvider(handOver.AddTicks(-1));
        var options = TestKeys.Options();
        options.SigningKeys = set;
        var issuer = new ScopeTokenIssuer(options, timeProvider: time);

        Assert.Equal("first", new JsonWebToken(issuer.Issue(ScopeSet.Parse("a"))).Kid);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("second", new JsonWebToken(issuer.Issue(ScopeSet.Parse("a"))).Kid);
    }

    [Fact]
    public void Issue_AfterTheLastWindow_ThrowsSigningKeyUnavailableAndIssuesNothing()
    {
        var key = TokenSigningKey.Generate("ES256", "only");
        var set = new SigningKeySet(key);
        set.Replace([new SigningWindow(key, Start, Start.AddDays(1))], [key]);
        var options = TestKeys.Options();
        options.SigningKeys = set;
        var issuer = new ScopeTokenIssuer(options, timeProvider: new FakeTimeProvider(Start.AddDays(1)));

        var ex = Assert.Throws<SigningKeyUnavailableException>(() => issuer.Issue(ScopeSet.Parse("a")));

        Assert.Contains("kid 'only'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.ExportPrivateJwk(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetSigningKey_BeforeTheFirstWindow_Throws()
    {
        var key = TokenSigningKey.Generate("ES256", "later");
        var set = new SigningKeySet(key);
        set.Replace([new SigningWindow(key, Start, Start.AddDays(1))], [key]);

        var ex = Assert.Throws<SigningKeyUnavailableException>(() => set.GetSigningKey(Start.AddTicks(-1)));

        Assert.Contains("No key may sign yet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetSigningKey_SetWithoutSchedule_AlwaysReturnsTheActiveKey()
    {
        var set = new SigningKeySet(TestKeys.Ec);

        Assert.Same(TestKeys.Ec, set.GetSigningKey(DateTimeOffset.MinValue));
        Assert.Same(TestKeys.Ec, set.GetSigningKey(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Replace_InvalidSchedules_AreRefusedAndTheSetIsUnchanged()
    {
        var a = TokenSigningKey.Generate("ES256", "a");
        var b = TokenSigningKey.Generate("ES256", "b");
        var set = new SigningKeySet(TestKeys.Ec);

        Assert.Throws<ArgumentNullException>(() => set.Replace(null!, [a]));
        Assert.Throws<ArgumentNullException>(() => set.Replace([new SigningWindow(a, Start, Start.AddDays(1))], null!));
        Assert.Throws<ArgumentException>(() => set.Replace([], [a]));
        Assert.Throws<ArgumentException>(() => set.Replace([new SigningWindow(a, Start, Start)], [a]));
        Assert.Throws<ArgumentException>(() => set.Replace([new SigningWindow(a, Start, Start.AddDays(2)), new SigningWindow(b, Start.AddDays(1), Start.AddDays(3))], [a, b]));
        Assert.Throws<ArgumentException>(() => set.Replace([new SigningWindow(a, Start, Start.AddDays(1))], [b]));
        Assert.Throws<ArgumentException>(() => set.Replace([new SigningWindow(a, Start, Start.AddDays(1))], [a, TokenSigningKey.Generate("ES256", "a")]));

        Assert.Same(TestKeys.Ec, set.Active);
        Assert.Same(TestKeys.Ec, set.GetSigningKey(Start));
    }

    [Fact]
    public void Rotate_AfterReplaceWithTheSigningKeyNotFirst_ListsEveryKeyOnceAndDropsTheSchedule()
    {
        var announced = TokenSigningKey.Generate("ES256", "announced");
        var signing = TokenSigningKey.Generate("ES256", "signing");
        var next = TokenSigningKey.Generate("ES256", "next");
        var set = new SigningKeySet(signing);
        set.Replace([new SigningWindow(signing, Start, Start.AddDays(1))], [announced, signing]);

        set.Rotate(next);

        Assert.Equal(["next", "signing", "announced"], set.Keys.Select(k => k.KeyId));
        Assert.Same(next, set.GetSigningKey(Start.AddDays(5)));
        Assert.True(set.Retire("announced"));
        Assert.Equal(["next", "signing"], set.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public void Replace_RaisesChangedOnce()
    {
        var set = new SigningKeySet(TestKeys.Ec);
        var changes = 0;
        set.Changed += (_, _) => changes++;

        set.Replace([new SigningWindow(TestKeys.Ec, Start, Start.AddDays(1))], [TestKeys.Ec]);

        Assert.Equal(1, changes);
    }

    private static void Profile(ScopeTokenOptions o)
    {
        o.Issuer = "https://issuer.test";
        o.Audiences.Add("https://partner.test");
        o.SigningKey.Managed = true;
    }

    private sealed class OtherKeySource : IManagedSigningKeySource
    {
        public SigningKeySet GetSigningKeys(string profileName, ScopeTokenOptions options) => new(TestKeys.Rsa);
    }

    private sealed class FakeKeySource(SigningKeySet set) : IManagedSigningKeySource
    {
        public int Calls { get; private set; }

        public List<string> Profiles { get; } = [];

        public SigningKeySet GetSigningKeys(string profileName, ScopeTokenOptions options)
        {
            Calls++;
            Profiles.Add(profileName);
            return set;
        }
    }
}
