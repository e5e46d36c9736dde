using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ScopeClaims.Cli.Tests;

public class ConvertCommandTests
{
    private const string B = "https://b.example";
    private const string C = "https://c.example";

    [Fact]
    public void Convert_IssuedArrayToStringAndBack_AgainstTheJwksPrintedByKeysJwks()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a", "RS256");
        var b = TestTokens.NewKey(dir, "b", "ES256");
        var c = TestTokens.NewKey(dir, "c", "PS256");
        var issued = CliRunner.Run("issue", "--scope", "read:a write:b", "--key", a.Key, "--subject", "client-1").Token;

        var toString = CliRunner.RunWithInput(issued + "\n", "convert", "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience,
            "--to", "space-delimited", "--issuer", B, "--key", b.Key);
        var asString = toString.Token;
        var back = CliRunner.Run("convert", asString, "--jwks", b.Jwks, "--valid-issuer", B, "--valid-audience", TestTokens.Audience,
            "--to", "array", "--issuer", C, "--audience", "https://final.example", "--key", c.Key);
        var asArray = back.Token;

        Assert.Equal(string.Empty, toString.Error);
        Assert.Equal("read:a write:b", TestTokens.Payload(asString).GetProperty("scope").GetString());
        Assert.Equal(B, TestTokens.Payload(asString).GetProperty("iss").GetString());
        Assert.Equal("client-1", TestTokens.Payload(asString).GetProperty("sub").GetString());
        Assert.Equal("ES256", new JsonWebToken(asString).Alg);
        Assert.Equal("""["read:a","write:b"]""", TestTokens.Payload(asArray).GetProperty("scope").GetRawText());
        Assert.Equal(C, TestTokens.Payload(asArray).GetProperty("iss").GetString());
        Assert.Equal("https://final.example", TestTokens.Payload(asArray).GetProperty("aud").GetString());
        Assert.Equal("PS256", new JsonWebToken(asArray).Alg);
        Assert.Equal(0, CliRunner.Run("inspect", asArray, "--jwks", c.Jwks, "--issuer", C, "--audience", "https://final.example").ExitCode);
    }

    [Fact]
    public void Convert_ToBoth_WritesScopeStringAndScpArray_AndLifetimeCapsTheNewToken()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var b = TestTokens.NewKey(dir, "b");
        var issued = CliRunner.Run("issue", "--scope", "x y", "--key", a.Key, "--lifetime", "1h").Token;

        var converted = CliRunner.Run("convert", issued, "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience,
            "--to", "both", "--issuer", B, "--key", b.Key, "--lifetime", "30s").Token;

        var payload = TestTokens.Payload(converted);
        Assert.Equal("x y", payload.GetProperty("scope").GetString());
        Assert.Equal("""["x","y"]""", payload.GetProperty("scp").GetRawText());
        Assert.InRange(payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64(), 1, 30);
    }

    [Fact]
    public void Convert_WithoutKey_SignsWithTheDevelopmentKey_AndWarns()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var issued = CliRunner.Run("issue", "--scope", "read:a", "--key", a.Key).Token;

        var result = CliRunner.Run("convert", issued, "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience, "--issuer", B);

        var devKid = JsonDocument.Parse(CliRunner.Run("keys", "jwks").Out).RootElement.GetProperty("keys")[0].GetProperty("kid").GetString();
        Assert.Equal(devKid, new JsonWebToken(result.Token).Kid);
        Assert.StartsWith("warning: signing with the development key at ", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<TempDirectory, string, string>> Refusals() => new()
    {
        { "InvalidSignature", (dir, key) => TestTokens.Tamper(Issue(key)) },
        { "Expired", (dir, key) => TestTokens.Expired(key) },
        { "WrongAudience", (dir, key) => CliRunner.Run("issue", "--scope", "read:a", "--key", key, "--audience", "https://other.test").Token },
        { "WrongIssuer", (dir, key) => CliRunner.Run("issue", "--scope", "read:a", "--key", key, "--issuer", "https://other.test").Token },
        { "UnknownKey", (dir, key) => Issue(TestTokens.NewKey(dir, "stranger").Key) },
        { "AlgorithmNotAllowed", (dir, key) => Issue(TestTokens.NewKey(dir, "rsa", "RS256").Key) },
        { "Malformed", (dir, key) => "not.a-token" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Convert_RefusedToken_Exit1_ReasonOnStderr_NothingOnStdout(string reason, Func<TempDirectory, string, string> make)
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var b = TestTokens.NewKey(dir, "b");
        var token = make(dir, a.Key);

        var result = CliRunner.Run("convert", token, "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience, "--issuer", B, "--key", b.Key);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"refused ({reason}): ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_OwnKey_IsRefused_SoATokenIsNeverConvertedTwice()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");

        var result = CliRunner.Run("convert", Issue(a.Key), "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience,
            "--issuer", B, "--key", a.Key);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.StartsWith("refused (ReplayedOwnToken): ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_IssuerSameAsValidIssuer_IsAUsageErrorBeforeAnyTokenIsRead()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var b = TestTokens.NewKey(dir, "b");

        var result = CliRunner.Run("convert", Issue(a.Key), "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience,
            "--issuer", TestTokens.Issuer, "--key", b.Key);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Equal($"error: --issuer and --valid-issuer are both '{TestTokens.Issuer}'; the new token's iss must differ from the source's (a token of our own issuer is never converted again).", result.Error.TrimEnd());
    }

    [Fact]
    public async Task Convert_Authority_FetchesDiscoveryAndJwks_FromALoopbackServer()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var b = TestTokens.NewKey(dir, "b");
        await using var authority = await LoopbackAuthority.StartAsync(File.ReadAllText(a.Jwks));
        var issued = CliRunner.Run("issue", "--scope", "read:a write:b", "--format", "space-delimited", "--key", a.Key, "--issuer", authority.Address.AbsoluteUri).Token;

        var result = CliRunner.Run("convert", issued, "--authority", authority.Address.AbsoluteUri, "--valid-issuer", authority.Address.AbsoluteUri,
            "--valid-audience", TestTokens.Audience, "--issuer", B, "--key", b.Key);

        Assert.Equal("""["read:a","write:b"]""", TestTokens.Payload(result.Token).GetProperty("scope").GetRawText());
    }

    [Theory]
    [InlineData("Pass exactly one of --jwks FILE and --authority URL", "--jwks", "JWKS", "--authority", "https://issuer.test/")]
    [InlineData("Pass exactly one of --jwks FILE and --authority URL")]
    [InlineData("is not an absolute https URL", "--authority", "ftp://issuer.test/")]
    [InlineData("must be an absolute https URL (http only for loopback)", "--authority", "http://issuer.test/")]
    [InlineData("--jwks: the file", "--jwks", "/nonexistent/jwks.json")]
    [InlineData("--jwks: 'JUNK' is refused: ", "--jwks", "JUNK")]
    [InlineData("Argument 'jwe' not recognized", "--jwks", "JWKS", "--to", "jwe")]
    [InlineData("Argument 'string' not recognized", "--jwks", "JWKS", "--to", "string")]
    [InlineData("Option '--valid-issuer' is required", "--jwks", "JWKS", "--valid-issuer")]
    public void Convert_UsageError_Exit2_NothingOnStdout(string expected, params string[] options)
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var junk = dir.File("junk.json");
        File.WriteAllText(junk, "{\"not\":\"a jwks\"");
        var args = new List<string> { "convert", Issue(a.Key), "--valid-audience", TestTokens.Audience, "--issuer", B };
        if (!options.Contains("--valid-issuer"))
        {
            args.AddRange(new[] { "--valid-issuer", TestTokens.Issuer });
        }

        args.AddRange(options.Where(o => o != "--valid-issuer").Select(o => o switch { "JWKS" => a.Jwks, "JUNK" => junk, _ => o }));

        var result = CliRunner.Run(args.ToArray());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains(expected.Replace("JUNK", junk, StringComparison.Ordinal), result.Error, StringComparison.Ordinal);
    }

    private static string Issue(string key) => CliRunner.Run("issue", "--scope", "read:a", "--key", key).Token;
}
