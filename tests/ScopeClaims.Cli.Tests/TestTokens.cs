using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Cli.Tests;

/// <summary>Keys and tokens made with the tool itself, plus a few hand-made ones for hostile shapes.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://scopeclaims.local";
    public const string Audience = "https://partner.example";

    /// <summary>Runs <c>keys new</c> and <c>keys jwks</c>: a private key file and its public JWKS file.</summary>
    public static (string Key, string Jwks) NewKey(TempDirectory dir, string name, string alg = "ES256")
    {
        var key = dir.File(name + ".jwk");
        var jwks = dir.File(name + ".jwks.json");
        Assert.Equal(0, CliRunner.Run("keys", "new", "--alg", alg, "--out", key).ExitCode);
        var printed = CliRunner.Run("keys", "jwks", "--key", key);
        Assert.Equal(0, printed.ExitCode);
        File.WriteAllText(jwks, printed.Out);
        return (key, jwks);
    }

    /// <summary>A token issued an hour ago with a five-minute lifetime, signed with a key file.</summary>
    public static string Expired(string keyFile, string scopes = "read:a")
    {
        var options = new ScopeTokenOptions { Issuer = Issuer, SigningKeys = new SigningKeySet(TokenSigningKey.FromFile(keyFile)) };
        options.Audiences.Add(Audience);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        return new ScopeTokenIssuer(options, timeProvider: time).Issue(ScopeSet.Parse(scopes));
    }

    /// <summary>A token whose signature is not checked (for inspect without --jwks): any header and payload JSON.</summary>
    public static string Unsigned(string payloadJson, string headerJson = """{"alg":"ES256","typ":"JWT"}""") =>
        Encode(headerJson) + "." + Encode(payloadJson) + ".c2lnbmF0dXJl";

    /// <summary>Changes one character of the payload, keeping the signature.</summary>
    public static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("read:a", "read:z", StringComparison.Ordinal);
        return parts[0] + "." + Encode(payload) + "." + parts[2];
    }

    public static JsonElement Payload(string token) => Part(token, 1);

    public static JsonElement Header(string token) => Part(token, 0);

    private static JsonElement Part(string token, int index)
    {
        using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[index]));
        return document.RootElement.Clone();
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
