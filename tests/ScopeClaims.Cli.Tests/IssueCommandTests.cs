using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ScopeClaims.Cli.Tests;

public class IssueCommandTests
{
    [Fact]
    public void Issue_Defaults_PrintsTheTokenAloneOnStdout_WithArrayScopeOnTheDevelopmentKey()
    {
        var result = CliRunner.Run("issue", "--scope", "read:a write:b");

        var token = result.Token;
        Assert.Equal(token + "\n", result.Out);
        var payload = TestTokens.Payload(token);
        Assert.Equal("""["read:a","write:b"]""", payload.GetProperty("scope").GetRawText());
        Assert.Equal("https://scopeclaims.local", payload.GetProperty("iss").GetString());
        Assert.Equal("https://partner.example", payload.GetProperty("aud").GetString());
        Assert.Equal(300, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.False(payload.TryGetProperty("sub", out _));
        Assert.Equal("ES256", TestTokens.Header(token).GetProperty("alg").GetString());
        Assert.Equal($"warning: signing with the development key at {Path.Combine(CliRunner.Home, "dev-key.jwk")}; use --key for real tokens\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("array", null, """{"scope":["a","b"]}""")]
    [InlineData("space-delimited", null, """{"scope":"a b"}""")]
    [InlineData("both", null, """{"scope":"a b","scp":["a","b"]}""")]
    [InlineData("array", "scopes", """{"scopes":["a","b"]}""")]
    [InlineData("space-delimited", "scp", """{"scp":"a b"}""")]
    [InlineData("both", "scope_string", """{"scope_string":"a b","scp":["a","b"]}""")]
    public void Issue_FormatAndClaimName_GiveThatShape(string format, string? claimName, string expected)
    {
        var args = new List<string> { "issue", "--scope", "a b", "--format", format };
        if (claimName is not null)
        {
            args.AddRange(new[] { "--claim-name", claimName });
        }

        var payload = TestTokens.Payload(CliRunner.Run(args.ToArray()).Token);

        using var want = JsonDocument.Parse(expected);
        foreach (var claim in want.RootElement.EnumerateObject())
        {
            Assert.Equal(claim.Value.GetRawText(), payload.GetProperty(claim.Name).GetRawText());
        }

        foreach (var other in new[] { "scope", "scp", "scopes", "scope_string" }.Where(n => !want.RootElement.TryGetProperty(n, out _)))
        {
            Assert.False(payload.TryGetProperty(other, out _), $"unexpected claim {other}");
        }
    }

    [Fact]
    public void Issue_RepeatedScope_MergesInOrderWithoutDuplicates_AndOneScopeIsStillAnArray()
    {
        var merged = TestTokens.Payload(CliRunner.Run("issue", "--scope", "a b", "--scope", "b c").Token);
        var single = TestTokens.Payload(CliRunner.Run("issue", "--scope", "only").Token);

        Assert.Equal("""["a","b","c"]""", merged.GetProperty("scope").GetRawText());
        Assert.Equal("""["only"]""", single.GetProperty("scope").GetRawText());
    }

    [Fact]
    public void Issue_EveryOption_EndsUpInTheToken_SignedByTheKeyFile_WithoutWarning()
    {
        using var dir = new TempDirectory();
        var (key, _) = TestTokens.NewKey(dir, "signing", "RS256");

        var result = CliRunner.Run("issue", "--scope", "read:a", "--key", key, "--issuer", "https://issuer.test", "--audience", "https://aud.test",
            "--subject", "client-1", "--lifetime", "30s", "--claim", "tenant=t1", "--claim", "n=42", "--claim", "empty=");

        var token = result.Token;
        Assert.Equal(string.Empty, result.Error);
        var payload = TestTokens.Payload(token);
        Assert.Equal("https://issuer.test", payload.GetProperty("iss").GetString());
        Assert.Equal("https://aud.test", payload.GetProperty("aud").GetString());
        Assert.Equal("client-1", payload.GetProperty("sub").GetString());
        Assert.Equal(30, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.Equal("t1", payload.GetProperty("tenant").GetString());
        Assert.Equal(JsonValueKind.String, payload.GetProperty("n").ValueKind);
        Assert.Equal("42", payload.GetProperty("n").GetString());
        Assert.Equal(string.Empty, payload.GetProperty("empty").GetString());
        Assert.Equal(TokenSigningKey.FromFile(key).KeyId, new JsonWebToken(token).Kid);
        Assert.Equal("RS256", new JsonWebToken(token).Alg);
    }

    [Theory]
    [InlineData("00:02:00", 120)]
    [InlineData("1h", 3600)]
    [InlineData("90s", 90)]
    public void Issue_Lifetime_AcceptsUnitsAndTimeSpans(string lifetime, long seconds)
    {
        var payload = TestTokens.Payload(CliRunner.Run("issue", "--scope", "a", "--lifetime", lifetime).Token);

        Assert.Equal(seconds, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public void Issue_Decode_WritesHeaderAndPayloadAsJsonOnStderr_StdoutKeepsTheTokenAlone()
    {
        var result = CliRunner.Run("issue", "--scope", "read:a", "--decode", "--subject", "s1");

        var token = result.Token;
        var json = result.Error[result.Error.IndexOf('{', StringComparison.Ordinal)..];
        using var decoded = JsonDocument.Parse(json);
        Assert.Equal("ES256", decoded.RootElement.GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal(JsonSerializer.Serialize(TestTokens.Payload(token)), JsonSerializer.Serialize(decoded.RootElement.GetProperty("payload")));
        Assert.Contains("\n  \"payload\": {", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Option '--scope' is required", "issue")]
    [InlineData("outside the RFC 6749", "issue", "--scope", "read\\a")]
    [InlineData("a tab", "issue", "--scope", "read\tb")]
    [InlineData("needs at least one scope", "issue", "--scope", " ")]
    [InlineData("--lifetime '300' is not", "issue", "--scope", "a", "--lifetime", "300")]
    [InlineData("at most 24h", "issue", "--scope", "a", "--lifetime", "2d")]
    [InlineData("must be positive", "issue", "--scope", "a", "--lifetime", "0s")]
    [InlineData("Argument 'xml' not recognized", "issue", "--scope", "a", "--format", "xml")]
    [InlineData("Argument 'string' not recognized", "issue", "--scope", "a", "--format", "string")]
    [InlineData("'iss' is a registered claim", "issue", "--scope", "a", "--claim", "iss=x")]
    [InlineData("would carry scopes", "issue", "--scope", "a", "--claim", "scp=admin")]
    [InlineData("is not NAME=VALUE", "issue", "--scope", "a", "--claim", "novalue")]
    [InlineData("names 'a' twice", "issue", "--scope", "a", "--claim", "a=1", "--claim", "a=2")]
    [InlineData("'ISS' is a registered claim", "issue", "--scope", "a", "--claim", "ISS=x")]
    [InlineData("'Exp' is a registered claim", "issue", "--scope", "a", "--claim", "Exp=1")]
    [InlineData("'Scope' would carry scopes", "issue", "--scope", "a", "--claim", "Scope=admin")]
    [InlineData("'SCP' would carry scopes", "issue", "--scope", "a", "--claim", "SCP=admin")]
    [InlineData("would carry scopes", "issue", "--scope", "a", "--claim", "HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE=admin")]
    [InlineData("'Perms' would carry scopes", "issue", "--scope", "a", "--claim-name", "perms", "--claim", "Perms=admin")]
    [InlineData("names 'TENANT' twice", "issue", "--scope", "a", "--claim", "tenant=1", "--claim", "TENANT=2")]
    [InlineData("is the array claim of --format both", "issue", "--scope", "a", "--format", "both", "--claim-name", "SCP")]
    [InlineData("is the array claim of --format both", "issue", "--scope", "a", "--format", "both", "--claim-name", "scp")]
    [InlineData("registered JWT claim", "issue", "--scope", "a", "--claim-name", "exp")]
    [InlineData("--subject cannot be empty", "issue", "--scope", "a", "--subject", "")]
    [InlineData("--key: The key file", "issue", "--scope", "a", "--key", "/nonexistent/key.pem")]
    [InlineData("Unrecognized command or argument 'extra'", "issue", "--scope", "a", "extra")]
    public void Issue_UsageError_Exits2_WithOneErrorLine_AndNothingOnStdout(string expected, params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        var error = Assert.Single(result.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
