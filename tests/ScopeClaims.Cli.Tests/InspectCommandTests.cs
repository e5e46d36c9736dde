using System.Text.Json;

namespace ScopeClaims.Cli.Tests;

public class InspectCommandTests
{
    private const string Lifetime = """ "iss":"https://issuer.test","exp":4102444800 """;

    [Fact]
    public void Inspect_WithoutJwks_SaysNotVerified_AndReportsShapeScopesAndWarnings()
    {
        var token = CliRunner.Run("issue", "--scope", "read:a write:b", "--format", "space-delimited").Token;

        var result = CliRunner.Run("inspect", token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        var lines = result.Out.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("not verified: the signature was not checked", lines[0]);
        Assert.Contains("  scope: space-delimited", lines);
        Assert.Contains("scopes: read:a write:b", lines);
        Assert.Contains("  - scope is a string; a partner that expects an array will reject it", lines);
        Assert.Contains("  \"iss\": \"https://scopeclaims.local\",", lines);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("-")]
    public void Inspect_WithoutTokenArgument_ReadsStdin_TrimmingWhitespace(string? argument)
    {
        var token = CliRunner.Run("issue", "--scope", "read:a").Token;
        var args = argument is null ? new[] { "inspect", "--json" } : new[] { "inspect", argument, "--json" };

        var result = CliRunner.RunWithInput("\n  " + token + "\r\n\n", args);

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Out);
        Assert.Equal("read:a", report.RootElement.GetProperty("scopes")[0].GetString());
    }

    [Fact]
    public void Inspect_Json_PrintsOneObjectWithEveryField()
    {
        var token = CliRunner.Run("issue", "--scope", "read:a write:b", "--format", "both").Token;

        var result = CliRunner.Run("inspect", token, "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Out);
        var root = report.RootElement;
        Assert.False(root.GetProperty("verified").GetBoolean());
        Assert.Equal("not checked", root.GetProperty("verification").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal("ES256", root.GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal("https://partner.example", root.GetProperty("payload").GetProperty("aud").GetString());
        Assert.Equal("""[{"name":"scope","shape":"space-delimited"},{"name":"scp","shape":"array"}]""", JsonSerializer.Serialize(root.GetProperty("scopeClaims")));
        Assert.Equal("""["read:a","write:b"]""", JsonSerializer.Serialize(root.GetProperty("scopes")));
        Assert.Contains("scope and scp both present; peers disagree on which one to read", root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Theory]
    [InlineData("""{"scope":"a b",LIFE}""", "scope:space-delimited", "a b", "scope is a string; a partner that expects an array will reject it")]
    [InlineData("""{"scope":["a","b"],LIFE}""", "scope:array", "a b", "scope is an array; a peer that expects an RFC 8693 space-delimited string will reject it")]
    [InlineData("""{"scp":["a"],LIFE}""", "scp:array", "a", "scp is an array; a peer that expects an RFC 8693 space-delimited string will reject it")]
    [InlineData("""{"scp":"a b",LIFE}""", "scp:space-delimited", "a b", "scp is a string; a partner that expects an array will reject it")]
    [InlineData("""{"scope":"a b","scp":["b","a"],LIFE}""", "scope:space-delimited scp:array", "a b", "scope and scp both present; peers disagree on which one to read")]
    [InlineData("""{LIFE}""", "", "", "no scope claim (looked for scope, scp and the mapped Microsoft claim type)")]
    [InlineData("""{"scope":"a"}""", "scope:space-delimited", "a", "no exp claim; RFC 7523 requires one and most verifiers refuse a token without it")]
    [InlineData("""{"scope":"a","exp":1000}""", "scope:space-delimited", "a", "expired at 1970-01-01 00:16:40Z")]
    [InlineData("""{"scope":"a","exp":4102444800,"nbf":4102444000}""", "scope:space-delimited", "a", "not valid before 2099-12-31 23:46:40Z")]
    public void Inspect_ScopeShapes_AreReportedWithWarnings(string payload, string shapes, string scopes, string warning)
    {
        var token = TestTokens.Unsigned(payload.Replace("LIFE", Lifetime.Trim(), StringComparison.Ordinal));

        var result = CliRunner.Run("inspect", token, "--json");

        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(shapes, string.Join(' ', root.GetProperty("scopeClaims").EnumerateArray().Select(c => c.GetProperty("name").GetString() + ":" + c.GetProperty("shape").GetString())));
        Assert.Equal(scopes, string.Join(' ', root.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
        Assert.Contains(warning, root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Theory]
    [InlineData("""{"scope":42}""", "number", "InvalidShape")]
    [InlineData("""{"scope":{"a":1}}""", "object", "InvalidShape")]
    [InlineData("""{"scope":["a",["b"]]}""", "array with non-string elements", "InvalidShape")]
    [InlineData("""{"scope":["a","b c"]}""", "array", "ElementContainsSeparator")]
    [InlineData("""{"scope":"a\tb"}""", "space-delimited", "InvalidCharacter")]
    [InlineData("""{"scope":""}""", "space-delimited", "Empty")]
    [InlineData("""{"scope":"a","scp":["b"]}""", "space-delimited", "ConflictingClaims")]
    public void Inspect_HostileScope_IsReportedAsAnError_Exit1(string payload, string shape, string reason)
    {
        var result = CliRunner.Run("inspect", TestTokens.Unsigned(payload));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"  scope: {shape}\n", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("scopes: refused", result.Out, StringComparison.Ordinal);
        Assert.Contains($"error: scopes refused ({reason}): ", result.Out, StringComparison.Ordinal);
        Assert.StartsWith($"error: scopes refused ({reason}): ", result.Error, StringComparison.Ordinal);

        var json = CliRunner.Run("inspect", TestTokens.Unsigned(payload), "--json");
        Assert.Equal(1, json.ExitCode);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("scopes").ValueKind);
        Assert.StartsWith($"scopes refused ({reason})", root.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_WithJwks_VerifiesSignatureIssuerAudienceAndExp()
    {
        using var dir = new TempDirectory();
        var (key, jwks) = TestTokens.NewKey(dir, "k");
        var token = CliRunner.Run("issue", "--scope", "read:a", "--key", key).Token;

        var result = CliRunner.Run("inspect", token, "--jwks", jwks, "--issuer", TestTokens.Issuer, "--audience", TestTokens.Audience);
        var json = CliRunner.Run("inspect", token, "--jwks", jwks, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("verified: the signature matches a key of the JWKS\n", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        Assert.True(JsonDocument.Parse(json.Out).RootElement.GetProperty("verified").GetBoolean());
    }

    public static TheoryData<string, Func<TempDirectory, (string Token, string[] Args)>> VerificationFailures() => new()
    {
        { "InvalidSignature", dir => { var (key, jwks) = TestTokens.NewKey(dir, "k"); return (TestTokens.Tamper(Issue(key)), new[] { "--jwks", jwks }); } },
        { "Expired", dir => { var (key, jwks) = TestTokens.NewKey(dir, "k"); return (TestTokens.Expired(key), new[] { "--jwks", jwks }); } },
        { "WrongAudience", dir => { var (key, jwks) = TestTokens.NewKey(dir, "k"); return (Issue(key), new[] { "--jwks", jwks, "--audience", "https://other.test" }); } },
        { "WrongIssuer", dir => { var (key, jwks) = TestTokens.NewKey(dir, "k"); return (Issue(key), new[] { "--jwks", jwks, "--issuer", "https://other.test" }); } },
        { "UnknownKey", dir => { var (key, _) = TestTokens.NewKey(dir, "k"); var (_, other) = TestTokens.NewKey(dir, "other"); return (Issue(key), new[] { "--jwks", other }); } },
        { "AlgorithmNotAllowed", dir => { var (key, _) = TestTokens.NewKey(dir, "k"); var (_, rsa) = TestTokens.NewKey(dir, "rsa", "RS256"); return (Issue(key), new[] { "--jwks", rsa }); } },
        { "UnsupportedCriticalHeader", dir => { var (_, jwks) = TestTokens.NewKey(dir, "k"); return (TestTokens.Unsigned("""{"scope":"a"}""", """{"alg":"ES256","crit":["exp"]}"""), new[] { "--jwks", jwks }); } },
    };

    [Theory]
    [MemberData(nameof(VerificationFailures))]
    public void Inspect_WithJwks_FailedVerification_Exit1_WithReason(string reason, Func<TempDirectory, (string Token, string[] Args)> make)
    {
        using var dir = new TempDirectory();
        var (token, args) = make(dir);

        var result = CliRunner.Run(new[] { "inspect", token }.Concat(args).ToArray());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"NOT VERIFIED: verification failed ({reason}): ", result.Out, StringComparison.Ordinal);
        Assert.StartsWith($"error: verification failed ({reason}): ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a token", "not a compact JWS")]
    [InlineData("a.b.c.d.e", "encrypted (JWE)")]
    [InlineData("e30!.e30.c2ln", "header is not valid base64url")]
    [InlineData("W10.e30.c2ln", "header is not a JSON object")]
    [InlineData("e30.eyJzY29wZSI6ImEiLCJzY29wZSI6ImFkbWluIn0.c2ln", "payload is not well-formed JSON, names a property twice")]
    [InlineData("eyJhbGciOiJcdUQ4MDAifQ.e30.c2ln", "header holds a string that is not valid Unicode")] // {"alg":"\uD800"}
    [InlineData("eyJhbGciOiJFUzI1NiIsIlx1REMwMCI6MX0.e30.c2ln", "header holds a string that is not valid Unicode")] // {"alg":"ES256","\uDC00":1}
    [InlineData("e30.eyJzY29wZSI6WyJhXHVEQzAwIl19.c2ln", "payload holds a string that is not valid Unicode")] // {"scope":["a\uDC00"]}
    [InlineData("eyJhbGciOiLDKCJ9.e30.c2ln", "header holds a string that is not valid Unicode")] // {"alg":"<C3 28>"}: invalid UTF-8
    public void Inspect_Malformed_Exit1_NothingOnStdout(string token, string expected)
    {
        var result = CliRunner.Run("inspect", token);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("No token: pass TOKEN", "", "inspect")]
    [InlineData("No token: pass TOKEN", " \n ", "inspect", "-")]
    [InlineData("pass --jwks FILE too", "", "inspect", "x.y.z", "--issuer", "https://i.test")]
    [InlineData("--jwks: the file", "", "inspect", "x.y.z", "--jwks", "/nonexistent/jwks.json")]
    public void Inspect_UsageError_Exit2(string expected, string stdin, params string[] args)
    {
        var result = CliRunner.RunWithInput(stdin, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTokenOnATerminal_IsAUsageError_NotASilentWait()
    {
        using var dir = new TempDirectory();
        var a = TestTokens.NewKey(dir, "a");
        var b = TestTokens.NewKey(dir, "b");

        CliResult[] results =
        [
            CliRunner.RunOnTerminal("inspect"),
            CliRunner.RunOnTerminal("convert", "--jwks", a.Jwks, "--valid-issuer", TestTokens.Issuer, "--valid-audience", TestTokens.Audience, "--issuer", "https://b.test", "--key", b.Key),
        ];

        foreach (var result in results)
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Equal(string.Empty, result.Out);
            Assert.Contains("No token: pass TOKEN as an argument, or pipe it on standard input", result.Error, StringComparison.Ordinal);
        }
    }

    private static string Issue(string key) => CliRunner.Run("issue", "--scope", "read:a", "--key", key).Token;
}
