using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Issuing;

/// <summary>A scope serializer writes its own scope claims and nothing else: never a registered or profile-owned claim.</summary>
public class SerializerClaimNameTests
{
    public static TheoryData<string> ReservedNames => new()
    {
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "typ", "cty",
        "ISS", "Sub", "AUD", "Exp", "nBf", "IAT", "Jti", "TYP", "Cty",
    };

    public static TheoryData<string> UndeclaredNames => new() { "aud", "sub", "jti", "iss", "exp", "nbf", "iat", "typ", "AUD", "other", "PERMS" };

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public void Constructor_SerializerDeclaringReservedClaim_Throws(string name)
    {
        var serializer = new RecordingSerializer(["perms", name], (scopes, claims) => claims["perms"] = scopes.ToString());

        var ex = Assert.Throws<ArgumentException>(() => new ScopeTokenIssuer(TestKeys.Options(), serializer));

        Assert.Equal("serializer", ex.ParamName);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RecordingSerializer), ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> UnusableClaimNames => new() { "null", "", "perms,", "perms, ", "perms,<null>", "perms,Perms" };

    [Theory]
    [MemberData(nameof(UnusableClaimNames))]
    public void Constructor_SerializerWithUnusableClaimNames_Throws(string names)
    {
        IReadOnlyList<string>? list = names == "null" ? null : names.Length == 0 ? [] : names.Split(',').Select(n => n == "<null>" ? null! : n).ToList();
        var serializer = new RecordingSerializer(list!, (scopes, claims) => { });

        var ex = Assert.Throws<ArgumentException>(() => new ScopeTokenIssuer(TestKeys.Options(), serializer));

        Assert.Contains("ClaimNames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_RedTeamSerializer_IsRefusedAndIssuesNothing()
    {
        // The red-team serializer: declares only 'scope' and writes aud, sub and jti besides.
        var serializer = new RecordingSerializer(["scope"], (scopes, claims) =>
        {
            claims["scope"] = scopes.ToString();
            claims["aud"] = "https://evil.example";
            claims["sub"] = "admin";
            claims["jti"] = "fixed";
        });
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), serializer);

        var ex = Assert.Throws<InvalidOperationException>(() => issuer.Issue(ScopeSet.Parse("a"), "client"));

        Assert.Contains("'aud'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was issued", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UndeclaredNames))]
    public void Issue_SerializerWritingUndeclaredClaim_ThrowsOnBothPaths(string name)
    {
        var serializer = new RecordingSerializer(["perms"], (scopes, claims) =>
        {
            claims["perms"] = scopes.ToString();
            claims[name] = "x";
        });
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), serializer);
        var request = new ScopeTokenRequest(ScopeSet.Parse("a")) { Subject = "client" };

        var viaIssue = Assert.Throws<InvalidOperationException>(() => issuer.Issue(request));
        var viaHandler = Assert.Throws<InvalidOperationException>(() => issuer.IssueWithHandler(request));

        Assert.Contains($"'{name}'", viaIssue.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", viaHandler.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_SerializerWritingNull_Throws()
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), new RecordingSerializer(["perms"], (scopes, claims) => claims["perms"] = null!));

        Assert.Throws<InvalidOperationException>(() => issuer.Issue(ScopeSet.Parse("a")));
    }

    [Fact]
    public void Issue_SerializerRemovingClaims_CannotTouchTheRegisteredOnes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var serializer = new RecordingSerializer(["perms"], (scopes, claims) =>
        {
            claims.Remove("aud");
            claims.Remove("sub");
            claims.Remove("jti");
            claims["perms"] = scopes.ToString();
        });
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), serializer, time);

        var payload = ScopeSerializerTests.Payload(issuer.Issue(ScopeSet.Parse("a b"), "client"));

        Assert.Equal("https://partner.test", payload.GetProperty("aud").GetString());
        Assert.Equal("client", payload.GetProperty("sub").GetString());
        Assert.True(payload.TryGetProperty("jti", out _));
        Assert.Equal("a b", payload.GetProperty("perms").GetString());
    }

    [Fact]
    public void Issue_SerializerChangingItsClaimNamesLater_IsHeldToTheFirstOnes()
    {
        var names = new List<string> { "perms" };
        var serializer = new RecordingSerializer(names, (scopes, claims) =>
        {
            claims["perms"] = scopes.ToString();
            claims["aud"] = "https://evil.example";
        });
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), serializer);
        names.Add("aud");

        Assert.Throws<InvalidOperationException>(() => issuer.Issue(ScopeSet.Parse("a")));
    }

    [Theory]
    [InlineData("ISS")]
    [InlineData("Aud")]
    [InlineData("typ")]
    [InlineData("Scope")]
    [InlineData("SCP")]
    [InlineData("PERMS")]
    public void Issue_ExtraClaimNamingAReservedOrScopeClaimInAnyCase_IsRefused(string name)
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(), new ArrayScopeSerializer("perms"));

        var ex = Assert.Throws<ArgumentException>(() => issuer.Issue(new ScopeTokenRequest(ScopeSet.Parse("a")) { Claims = new Dictionary<string, object> { [name] = "x" } }));

        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ISS")]
    [InlineData("Exp")]
    [InlineData("typ")]
    public void Constructor_ProfileClaimNameReservedInAnyCase_Throws(string name)
    {
        var options = TestKeys.Options();
        options.ClaimName = name;

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains("ScopeTokenOptions.ClaimName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BothFormatClaimNamesDifferingOnlyInCase_Throws()
    {
        var options = TestKeys.Options(format: ScopeFormat.Both);
        options.ClaimName = "scope";
        options.ArrayClaimName = "SCOPE";

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        Assert.Contains("ScopeTokenOptions.ArrayClaimName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_KeyedSerializerDeclaringRegisteredClaim_FailsNamingTheProfile()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddKeyedSingleton<IScopeSerializer>("partner", new RecordingSerializer(["scope", "aud", "Sub"], (s, c) => { }));
        builder.Services.AddArrayScopeTokens("partner", Profile);
        builder.Services.AddArrayScopeTokens(Profile);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("partner", ex.OptionsName);
        Assert.Contains(ex.Failures, f => f.Contains("'aud'", StringComparison.Ordinal) && f.Contains("profile 'partner'", StringComparison.Ordinal) && f.Contains(nameof(RecordingSerializer), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'Sub'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_UnkeyedSerializerDeclaringRegisteredClaim_FailsForEveryProfile()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IScopeSerializer>(new RecordingSerializer(["jti"], (s, c) => { }));
        builder.Services.AddArrayScopeTokens("a", Profile);
        builder.Services.AddScopeTokens("b", ScopeFormat.SpaceDelimited, Profile);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var failures = ex.InnerExceptions.Cast<OptionsValidationException>().ToList();
        Assert.Equal(["a", "b"], failures.Select(f => f.OptionsName).Order());
        Assert.All(failures, f => Assert.Contains(f.Failures, m => m.Contains("'jti'", StringComparison.Ordinal)));
    }

    [Fact]
    public void GetIssuer_SerializerDeclaringRegisteredClaim_ThrowsWithoutHostStart()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IScopeSerializer>(new RecordingSerializer(["exp"], (s, c) => { }));
        services.AddArrayScopeTokens(Profile);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IScopeTokenIssuer>());
    }

    private static void Profile(ScopeTokenOptions o)
    {
        o.Issuer = "https://issuer.test";
        o.Audiences.Add("https://partner.test");
        o.SigningKeys = new SigningKeySet(TestKeys.Ec);
    }

    private sealed class RecordingSerializer(IReadOnlyList<string> names, Action<ScopeSet, IDictionary<string, object>> write) : IScopeSerializer
    {
        public IReadOnlyList<string> ClaimNames => names;

        public void WriteClaims(ScopeSet scopes, IDictionary<string, object> claims) => write(scopes, claims);
    }
}
