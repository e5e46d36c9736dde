using System.Text.Json;

namespace ScopeClaims.Cli.Tests;

public class KeysCommandTests
{
    private static readonly string[] s_privateMembers = { "d", "p", "q", "dp", "dq", "qi", "k" };

    [Theory]
    [InlineData("RS256", "RSA")]
    [InlineData("PS256", "RSA")]
    [InlineData("ES256", "EC")]
    [InlineData("HS256", "oct")]
    public void KeysNew_WritesAPrivateJwk_ReadableByItsOwnerOnly(string alg, string kty)
    {
        using var dir = new TempDirectory();
        var path = dir.File("key.jwk");

        var result = CliRunner.Run("keys", "new", "--alg", alg, "--out", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        var key = TokenSigningKey.FromJwkFile(path);
        Assert.Equal(alg, key.Algorithm);
        Assert.Equal(kty, JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("kty").GetString());
        Assert.Equal($"wrote a private {alg} key (kid {key.KeyId}) to {path}; keep it secret", result.Error.TrimEnd());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void KeysNew_Kid_IsTheKeyId()
    {
        using var dir = new TempDirectory();

        Assert.Equal(0, CliRunner.Run("keys", "new", "--alg", "ES256", "--kid", "2026-01", "--out", dir.File("k.jwk")).ExitCode);

        Assert.Equal("2026-01", TokenSigningKey.FromJwkFile(dir.File("k.jwk")).KeyId);
    }

    [Fact]
    public void KeysNew_ExistingFile_IsRefusedWithoutForce_AndReplacedWithMode600WithForce()
    {
        using var dir = new TempDirectory();
        var path = dir.File("key.jwk");
        File.WriteAllText(path, "keep me");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var refused = CliRunner.Run("keys", "new", "--alg", "ES256", "--out", path);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"error: --out: '{path}' already exists; pass --force to overwrite it.", refused.Error.TrimEnd());
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));

        var forced = CliRunner.Run("keys", "new", "--alg", "ES256", "--out", path, "--force");

        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("ES256", TokenSigningKey.FromJwkFile(path).Algorithm);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("Argument 'ES999' not recognized", "--alg", "ES999", "--out", "OUT")]
    [InlineData("Argument 'none' not recognized", "--alg", "none", "--out", "OUT")]
    [InlineData("Option '--out' is required", "--alg", "ES256")]
    [InlineData("Option '--alg' is required", "--out", "OUT")]
    [InlineData("--kid cannot be empty", "--alg", "ES256", "--kid", "", "--out", "OUT")]
    [InlineData("could not be written (DirectoryNotFoundException)", "--alg", "ES256", "--out", "MISSING")]
    public void KeysNew_UsageError_Exit2_NoFileWritten(string expected, params string[] options)
    {
        using var dir = new TempDirectory();
        var args = new[] { "keys", "new" }.Concat(options.Select(o => o switch { "OUT" => dir.File("k.jwk"), "MISSING" => dir.File("missing/k.jwk"), _ => o })).ToArray();

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void KeysJwks_PrintsPublicKeysOnly_ActiveFirst_AndLeavesHmacKeysOut()
    {
        using var dir = new TempDirectory();
        CliRunner.Run("keys", "new", "--alg", "ES256", "--kid", "ec", "--out", dir.File("ec.jwk"));
        CliRunner.Run("keys", "new", "--alg", "RS256", "--kid", "rsa", "--out", dir.File("rsa.jwk"));
        CliRunner.Run("keys", "new", "--alg", "HS256", "--kid", "hmac", "--out", dir.File("hmac.jwk"));

        var result = CliRunner.Run("keys", "jwks", "--key", dir.File("ec.jwk"), "--key", dir.File("hmac.jwk"), "--key", dir.File("rsa.jwk"));

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("}\n", result.Out, StringComparison.Ordinal);
        var keys = JsonDocument.Parse(result.Out).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(new[] { "ec", "rsa" }, keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(new[] { "ES256", "RS256" }, keys.Select(k => k.GetProperty("alg").GetString()));
        Assert.All(keys, k => Assert.DoesNotContain(k.EnumerateObject(), p => s_privateMembers.Contains(p.Name)));
        Assert.Equal($"warning: {dir.File("hmac.jwk")} is an HMAC key; it is secret and left out of the JWKS", result.Error.TrimEnd());
    }

    [Fact]
    public void KeysJwks_WithoutKey_PrintsTheDevelopmentKey_ThatIssueSignsWith()
    {
        var issued = CliRunner.Run("issue", "--scope", "a").Token;

        var result = CliRunner.Run("keys", "jwks");

        Assert.Equal(0, result.ExitCode);
        var kid = JsonDocument.Parse(result.Out).RootElement.GetProperty("keys")[0].GetProperty("kid").GetString();
        Assert.Equal(TestTokens.Header(issued).GetProperty("kid").GetString(), kid);
        Assert.StartsWith("warning: the public key of the development key at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no RSA or EC key given", "hmac")]
    [InlineData("Two keys share the kid 'ec'", "ec", "ec")]
    [InlineData("missing.jwk' does not exist.", "missing")]
    public void KeysJwks_UsageError_Exit2(string expected, params string[] names)
    {
        using var dir = new TempDirectory();
        CliRunner.Run("keys", "new", "--alg", "ES256", "--kid", "ec", "--out", dir.File("ec.jwk"));
        CliRunner.Run("keys", "new", "--alg", "HS256", "--out", dir.File("hmac.jwk"));

        var result = CliRunner.Run(new[] { "keys", "jwks" }.Concat(names.SelectMany(n => new[] { "--key", dir.File(n + ".jwk") })).ToArray());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
