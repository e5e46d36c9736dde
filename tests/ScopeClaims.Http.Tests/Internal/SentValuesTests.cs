using System.Net;
using ScopeClaims.Http.Internal;

namespace ScopeClaims.Http.Tests.Internal;

public class SentValuesTests
{
    private static readonly KeyValuePair<string, string>[] Form =
    {
        new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        new("scope", "read:a read:b"),
    };

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("abcd", 4)]
    [InlineData("0123456789abcdef", 4)]
    [InlineData("0123456789abcdef0123", 5)]
    [InlineData("0123456789abcdef0123456789abcdef", 8)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef", 8)]
    public void RunLength_QuarterOfTheSecret_Between4And8(string secret, int expected)
    {
        Assert.Equal(expected, SentValues.RunLength(secret));
    }

    [Theory]
    [InlineData("no secret here", "no secret here")]
    [InlineData("was Zq81-mXp0-Lw3v-Tt9k here", "was [redacted] here")]
    [InlineData("part Lw3v of it", "part [redacted] of it")]           // 4 = a quarter of 16 characters
    [InlineData("part Lw3 of it", "part Lw3 of it")]                  // 3 is less
    [InlineData("upper ZQ81-MXP0 case", "upper [redacted] case")]
    [InlineData("scope read:a read:b, encoded read%3Aa+read%3Ab", "scope [redacted], encoded [redacted]")]
    public void Redact_TextFromTheServer_ReplacesWhatWasSent(string text, string expected)
    {
        var sent = new SentValues(Form, "Zq81-mXp0-Lw3v-Tt9k", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", null);

        Assert.Equal(expected, sent.Redact(text));
    }

    [Fact]
    public void Redact_ExceptionWithoutSentValues_IsTheSameInstance()
    {
        var sent = new SentValues(Form, "Zq81-mXp0-Lw3v-Tt9k", "a.b.c", null);
        var failure = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new IOException("reset"));

        Assert.Same(failure, sent.Redact(failure));
    }

    [Fact]
    public void Redact_ExceptionQuotingTheSecretDeepInside_RebuildsTheChainKeepingTheError()
    {
        var sent = new SentValues(Form, "Zq81-mXp0-Lw3v-Tt9k", "a.b.c", null);
        var failure = new HttpRequestException(HttpRequestError.InvalidResponse, "The response ended prematurely.", new IOException("Received an invalid header line: 'Zq81-mXp0-Lw3v-Tt9k'."), HttpStatusCode.BadGateway);

        var redacted = Assert.IsType<HttpRequestException>(sent.Redact(failure));

        Assert.Equal(HttpRequestError.InvalidResponse, redacted.HttpRequestError);
        Assert.Equal(HttpStatusCode.BadGateway, redacted.StatusCode);
        Assert.Equal("The response ended prematurely.", redacted.Message);
        Assert.Equal("Received an invalid header line: '[redacted]'.", redacted.InnerException!.Message);
    }
}
