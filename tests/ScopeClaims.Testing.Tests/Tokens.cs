using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing.Tests;

/// <summary>Hand-made tokens with exact payloads, and the check that failure messages never carry a token.</summary>
internal static class Tokens
{
    public const string Header = """{"alg":"RS256","kid":"test-kid","typ":"JWT"}""";
    public const string Signature = "c2lnbmF0dXJlLW5vdC12ZXJpZmllZA";

    public static string Make(string payloadJson, string headerJson = Header, string signature = Signature) =>
        $"{Encode(headerJson)}.{Encode(payloadJson)}.{signature}";

    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    /// <summary>Runs a check that must fail, and returns its message after checking that no part of the token is in it.</summary>
    public static string Fails(string token, Action<ScopeTokenAssertions> check)
    {
        var assertions = ScopeTokenAssert.That(token);
        var ex = Assert.Throws<ScopeTokenAssertionException>(() => check(assertions));
        AssertNoToken(token, ex.ToString());
        return ex.Message;
    }

    public static void AssertNoToken(string token, string message)
    {
        Assert.DoesNotContain(token, message, StringComparison.Ordinal);
        foreach (var part in token.Split('.').Where(p => p.Length >= 8))
        {
            Assert.DoesNotContain(part, message, StringComparison.Ordinal);
        }
    }
}
