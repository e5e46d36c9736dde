using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Assertions;

public class HeaderAndLifetimeAssertionTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsSignedWith_MatchingHeader_Passes()
    {
        var token = Issue(TestSigningKeys.Ec);

        ScopeTokenAssert.That(token)
            .IsSignedWith(kid: TestSigningKeys.Ec.KeyId, alg: "ES256")
            .IsSignedWith(kid: TestSigningKeys.Ec.KeyId)
            .IsSignedWith(alg: "ES256");
    }

    [Theory]
    [InlineData("other-kid", "RS256", "Expected: kid \"other-kid\", alg \"RS256\"\nActual:   kid \"test-kid\", alg \"RS256\"")]
    [InlineData("test-kid", "ES256", "Expected: kid \"test-kid\", alg \"ES256\"\nActual:   kid \"test-kid\", alg \"RS256\"")]
    [InlineData(null, "rs256", "Expected: alg \"rs256\"\nActual:   kid \"test-kid\", alg \"RS256\"")]
    [InlineData("TEST-KID", null, "Expected: kid \"TEST-KID\"\nActual:   kid \"test-kid\", alg \"RS256\"")]
    public void IsSignedWith_OtherKeyOrAlgorithm_ShowsBoth(string? kid, string? alg, string expected)
    {
        var message = Tokens.Fails(Tokens.Make("{}"), a => a.IsSignedWith(kid, alg));

        Assert.Equal("IsSignedWith failed: the token's header names another key or algorithm.\n" + expected, message);
    }

    [Theory]
    [InlineData("""{"alg":"none"}""", "", "Actual:   kid (none), alg \"none\", unsigned")]
    [InlineData("""{"alg":"RS256","kid":"k"}""", "", "Actual:   kid \"k\", alg \"RS256\", unsigned")]
    [InlineData("""{"kid":"k"}""", "c2ln", "Actual:   kid \"k\", alg (none), unsigned")]
    public void IsSignedWith_Unsigned_Fails(string header, string signature, string actual)
    {
        var message = Tokens.Fails(Tokens.Make("{}", header, signature), a => a.IsSignedWith(alg: "none"));

        Assert.Equal("IsSignedWith failed: the token is not signed.\nExpected: alg \"none\"\n" + actual, message);
    }

    [Fact]
    public void IsSignedWith_HostileKid_IsEscaped()
    {
        var message = Tokens.Fails(Tokens.Make("{}", """{"alg":"RS256","kid":"a\nb"}"""), a => a.IsSignedWith(kid: "a"));

        Assert.Contains("kid \"a\\nb\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsSignedWith_NoExpectation_Throws()
    {
        Assert.Throws<ArgumentException>(() => ScopeTokenAssert.That(Tokens.Make("{}")).IsSignedWith());
    }

    [Theory]
    [InlineData(300, 300)]
    [InlineData(60, 300)]
    [InlineData(1, 1)]
    public void HasLifetimeAtMost_WithinBound_Passes(int lifetimeSeconds, int maximumSeconds)
    {
        var token = Tokens.Make($$"""{"iat":1000,"exp":{{1000 + lifetimeSeconds}}}""");

        ScopeTokenAssert.That(token).HasLifetimeAtMost(TimeSpan.FromSeconds(maximumSeconds));
    }

    [Fact]
    public void HasLifetimeAtMost_IssuedToken_Passes()
    {
        ScopeTokenAssert.That(Issue(TestSigningKeys.Rsa, TimeSpan.FromMinutes(5))).HasLifetimeAtMost(TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData("""{"iat":1000,"exp":4600}""",
        "HasLifetimeAtMost failed: the token lives longer than allowed.\nExpected: exp - iat at most 00:05:00\nActual:   3600 s (iat 1000 (1970-01-01T00:16:40Z), exp 4600 (1970-01-01T01:16:40Z))")]
    [InlineData("""{"iat":1000,"exp":1000}""",
        "HasLifetimeAtMost failed: 'exp' is not after 'iat'.\nExpected: exp - iat at most 00:05:00\nActual:   0 s (iat 1000 (1970-01-01T00:16:40Z), exp 1000 (1970-01-01T00:16:40Z))")]
    [InlineData("""{"iat":1000,"exp":940}""",
        "HasLifetimeAtMost failed: 'exp' is not after 'iat'.\nExpected: exp - iat at most 00:05:00\nActual:   -60 s (iat 1000 (1970-01-01T00:16:40Z), exp 940 (1970-01-01T00:15:40Z))")]
    [InlineData("""{"exp":1000}""",
        "HasLifetimeAtMost failed: the token lacks a numeric 'iat' or 'exp' claim.\nExpected: exp - iat at most 00:05:00\nActual:   iat (none), exp 1000 (1970-01-01T00:16:40Z)")]
    [InlineData("""{"iat":1000,"exp":"1300"}""",
        "HasLifetimeAtMost failed: 'exp' is \"1300\", not a NumericDate (a JSON number of seconds, RFC 7519 §2).\nExpected: exp - iat at most 00:05:00\nActual:   iat 1000 (1970-01-01T00:16:40Z), exp \"1300\"")]
    [InlineData("""{"iat":1000.25,"exp":1300.5}""",
        "HasLifetimeAtMost failed: the token lives longer than allowed.\nExpected: exp - iat at most 00:05:00\nActual:   300.25 s (iat 1000.25 (1970-01-01T00:16:40.25Z), exp 1300.5 (1970-01-01T00:21:40.5Z))")]
    public void HasLifetimeAtMost_Failing_ShowsBoundAndLifetime(string payload, string expectedMessage)
    {
        Assert.Equal(expectedMessage, Tokens.Fails(Tokens.Make(payload), a => a.HasLifetimeAtMost(TimeSpan.FromMinutes(5))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void HasLifetimeAtMost_NonPositiveBound_Throws(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScopeTokenAssert.That(Tokens.Make("{}")).HasLifetimeAtMost(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    public void ExpiresWithin_AheadWithinBound_Passes(int secondsLeft)
    {
        var token = Tokens.Make($$"""{"exp":{{Now.ToUnixTimeSeconds() + secondsLeft}}}""");

        ScopeTokenAssert.That(token).ExpiresWithin(TimeSpan.FromMinutes(5), new ManualTimeProvider(Now));
    }

    [Fact]
    public void ExpiresWithin_IssuedTokenAsTheClockMoves_PassesThenFails()
    {
        var time = new ManualTimeProvider(Now);
        var token = Issue(TestSigningKeys.Rsa, TimeSpan.FromMinutes(5), time);

        ScopeTokenAssert.That(token).ExpiresWithin(TimeSpan.FromMinutes(5), time);
        time.Advance(TimeSpan.FromMinutes(5));
        var message = Tokens.Fails(token, a => a.ExpiresWithin(TimeSpan.FromMinutes(5), time));

        Assert.Equal("ExpiresWithin failed: the token has expired.\nExpected: exp within 00:05:00 after now (2030-06-01T12:05:00Z)\nActual:   exp 1906545900 (2030-06-01T12:05:00Z), 0 s before now", message);
    }

    [Theory]
    [InlineData(-60, "ExpiresWithin failed: the token has expired.\nExpected: exp within 00:05:00 after now (2030-06-01T12:00:00Z)\nActual:   exp 1906545540 (2030-06-01T11:59:00Z), 60 s before now")]
    [InlineData(600, "ExpiresWithin failed: the token expires later than allowed.\nExpected: exp within 00:05:00 after now (2030-06-01T12:00:00Z)\nActual:   exp 1906546200 (2030-06-01T12:10:00Z), 600 s after now")]
    public void ExpiresWithin_Failing_ShowsNowAndExp(int secondsLeft, string expectedMessage)
    {
        var token = Tokens.Make($$"""{"exp":{{Now.ToUnixTimeSeconds() + secondsLeft}}}""");

        Assert.Equal(expectedMessage, Tokens.Fails(token, a => a.ExpiresWithin(TimeSpan.FromMinutes(5), new ManualTimeProvider(Now))));
    }

    [Fact]
    public void ExpiresWithin_NoExp_Fails()
    {
        var message = Tokens.Fails(Tokens.Make("""{"iat":1}"""), a => a.ExpiresWithin(TimeSpan.FromMinutes(5), new ManualTimeProvider(Now)));

        Assert.Equal("ExpiresWithin failed: the token lacks a numeric 'exp' claim.\nExpected: exp within 00:05:00 after now (2030-06-01T12:00:00Z)\nActual:   exp (none)", message);
    }

    [Fact]
    public void ExpiresWithin_NullExp_SaysItIsNotANumericDate()
    {
        var message = Tokens.Fails(Tokens.Make("""{"exp":null}"""), a => a.ExpiresWithin(TimeSpan.FromMinutes(5), new ManualTimeProvider(Now)));

        Assert.Equal("ExpiresWithin failed: 'exp' is null, not a NumericDate (a JSON number of seconds, RFC 7519 §2).\nExpected: exp within 00:05:00 after now (2030-06-01T12:00:00Z)\nActual:   exp null", message);
    }

    [Fact]
    public void ExpiresWithin_InvalidArguments_Throw()
    {
        var assertions = ScopeTokenAssert.That(Tokens.Make("{}"));

        Assert.Throws<ArgumentOutOfRangeException>(() => assertions.ExpiresWithin(TimeSpan.Zero, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => assertions.ExpiresWithin(TimeSpan.FromMinutes(1), null!));
    }

    internal static string Issue(TokenSigningKey key, TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        var options = new ScopeTokenOptions { Issuer = ScopeTokenTestHost.DefaultIssuer, SigningKeys = new SigningKeySet(key) };
        options.Audiences.Add(ScopeTokenTestHost.DefaultAudience);
        options.Lifetime = lifetime ?? options.Lifetime;
        return new ScopeTokenIssuer(options, timeProvider: time).Issue(ScopeSet.Parse("read:a"));
    }
}
