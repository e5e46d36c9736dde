using System.Security.Cryptography;
using ScopeClaims.Cli.Internal;
using ScopeClaims.Tests.Keys;

namespace ScopeClaims.Cli.Tests;

/// <summary>
/// Key and JWKS files given to the tool: a malformed key is one line on stderr and exit 2, with no key material even
/// with <c>--verbose</c>; a device, a FIFO, a directory, a NUL in the path or an oversized file is refused at once.
/// </summary>
public sealed class KeySourceTests : IDisposable
{
    private readonly SpecialFiles _files = OperatingSystem.IsLinux() ? new SpecialFiles() : null!;
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _files?.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string> CliKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in MalformedKeys.All.Where(static k => k.CliKey is not null))
        {
            data.Add(key.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CliKeys))]
    public void Key_MalformedWithVerbose_PrintsNoKeyMaterial(string name)
    {
        var key = MalformedKeys.Get(name);
        var jwks = _dir.File("jwks.json");
        File.WriteAllText(jwks, new SigningKeySet(TokenSigningKey.Generate("ES256")).ExportPublicJwks());
        var runs = new[]
        {
            CliRunner.Run("keys", "jwks", "--key", key.CliKey!, "--verbose"),
            CliRunner.Run("issue", "--scope", "read:a", "--key", key.CliKey!, "--verbose"),
            CliRunner.Run("convert", "a.b.c", "--jwks", jwks, "--valid-issuer", "i", "--valid-audience", "a", "--key", key.CliKey!, "--verbose"),
        };

        foreach (var result in runs)
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Equal(string.Empty, result.Out);
            SecretLeak.AssertAbsent(result.Out + result.Error, key.Secrets);
        }

        Assert.All(runs, static r => Assert.StartsWith("error: --key: ", r.Error, StringComparison.Ordinal));
        Assert.Contains("   at ScopeClaims.", runs[0].Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CliKeys))]
    public void DevelopmentKey_MalformedWithVerbose_PrintsNoKeyMaterial(string name)
    {
        var key = MalformedKeys.Get(name);
        if (key.Kind != MalformedKind.Jwk)
        {
            return;
        }

        using var home = new TempDirectory();
        File.WriteAllText(home.File("dev-key.jwk"), key.Text);

        var issue = CliRunner.RunWithHome(home.Path, "issue", "--scope", "read:a", "--verbose");
        var jwks = CliRunner.RunWithHome(home.Path, "keys", "jwks", "--verbose");

        foreach (var result in new[] { issue, jwks })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("error: The development key at ", result.Error, StringComparison.Ordinal);
            SecretLeak.AssertAbsent(result.Out + result.Error, key.Secrets);
        }
    }

    [Fact]
    public void Jwks_MalformedPrivateJwksWithVerbose_PrintsNoKeyMaterial()
    {
        var key = MalformedKeys.Get("jwk-rsa-trailing-comma");
        var jwks = _dir.File("private-jwks.json");
        File.WriteAllText(jwks, "{\"keys\":[" + key.Text + "]}");
        var duplicate = _dir.File("duplicate.json");
        File.WriteAllText(duplicate, "{\"keys\":[" + MalformedKeys.Get("jwk-rsa-duplicate-d").Text + "]}");

        foreach (var path in new[] { jwks, duplicate })
        {
            var inspect = CliRunner.Run("inspect", "a.b.c", "--jwks", path, "--verbose");
            var convert = CliRunner.Run("convert", "a.b.c", "--jwks", path, "--valid-issuer", "i", "--valid-audience", "a", "--verbose");

            foreach (var result in new[] { inspect, convert })
            {
                Assert.Equal(2, result.ExitCode);
                Assert.StartsWith("error: --jwks: ", result.Error, StringComparison.Ordinal);
                SecretLeak.AssertAbsent(result.Out + result.Error, key.Secrets);
            }
        }

        Assert.Contains("names a member twice", CliRunner.Run("inspect", "a.b.c", "--jwks", duplicate).Error, StringComparison.Ordinal);
    }

    public static TheoryData<string> SpecialPaths() => new() { "/dev/zero", "/dev/urandom", "fifo", "link-to-fifo", "directory" };

    [Theory]
    [MemberData(nameof(SpecialPaths))]
    public void KeyAndJwks_SpecialFile_IsAUsageErrorAtOnce(string which)
    {
        var path = which switch
        {
            "fifo" => _files.Fifo,
            "link-to-fifo" => _files.LinkToFifo,
            "directory" => _files.SubDirectory,
            _ => which,
        };
        var expected = which switch
        {
            "fifo" or "link-to-fifo" => "is a FIFO (named pipe), not a regular file.",
            "directory" => "is a directory, not a file.",
            _ => "is a character device, not a regular file.",
        };

        var results = _files.WithoutHanging(() => new[]
        {
            CliRunner.Run("keys", "jwks", "--key", path),
            CliRunner.Run("issue", "--scope", "read:a", "--key", path),
            CliRunner.Run("inspect", "a.b.c", "--jwks", path),
            CliRunner.Run("convert", "a.b.c", "--jwks", path, "--valid-issuer", "i", "--valid-audience", "a"),
        });

        foreach (var result in results)
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Equal(string.Empty, result.Out);
            Assert.Single(result.Error.TrimEnd().Split('\n'));
            Assert.EndsWith($"'{path}' {expected}", result.Error.TrimEnd(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KeyAndJwks_NulInPath_IsAUsageError()
    {
        var path = _dir.File("key\0.jwk");

        foreach (var result in new[] { CliRunner.Run("keys", "jwks", "--key", path), CliRunner.Run("inspect", "a.b.c", "--jwks", path) })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("contains a NUL character", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("\0", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KeyAndJwks_FileOverOneMebibyte_IsAUsageError()
    {
        var key = TokenSigningKey.Generate("ES256").ExportPrivateJwk();
        var path = _dir.File("large.jwk");
        File.WriteAllText(path, key + new string(' ', (1024 * 1024) + 1 - key.Length));

        var jwks = CliRunner.Run("keys", "jwks", "--key", path);
        var inspect = CliRunner.Run("inspect", "a.b.c", "--jwks", path);

        Assert.Equal(2, jwks.ExitCode);
        Assert.Equal($"error: --key: The key file '{path}' is larger than 1 MiB, the limit for a key, certificate or JWKS file.", jwks.Error.TrimEnd());
        Assert.Equal(2, inspect.ExitCode);
        Assert.Equal($"error: --jwks: the file '{path}' is larger than 1 MiB, the limit for a key, certificate or JWKS file.", inspect.Error.TrimEnd());
    }

    [Fact]
    public void Key_LinkToRegularFile_IsUsed()
    {
        File.WriteAllText(_files.Regular, TokenSigningKey.Generate("ES256", "linked").ExportPrivateJwk());

        var result = CliRunner.Run("keys", "jwks", "--key", _files.LinkToRegular);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"kid\": \"linked\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysNew_ForceOntoFifoOrLinkToDevice_IsRefused_NothingReplaced()
    {
        foreach (var path in new[] { _files.Fifo, _files.LinkToZero })
        {
            var result = _files.WithoutHanging(() => CliRunner.Run("keys", "new", "--alg", "ES256", "--out", path, "--force"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("not a regular file; only a regular file is ever replaced.", result.Error, StringComparison.Ordinal);
        }

        Assert.Equal("/dev/zero", new FileInfo(_files.LinkToZero).LinkTarget);
        Assert.Contains("is a FIFO", BoundedFileCheck(_files.Fifo), StringComparison.Ordinal);
        File.WriteAllText(_files.Regular, "old");
        Assert.Equal(0, CliRunner.Run("keys", "new", "--alg", "ES256", "--out", _files.Regular, "--force").ExitCode);
    }

    private static string? BoundedFileCheck(string path) => ScopeClaims.Internal.BoundedFile.Check(path);

    [Fact]
    public void Trace_ShowsOwnMessages_HidesPlatformMessages_AtEveryDepth()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Exception thrown;
        try
        {
            throw new CliException("outer", new AggregateException(new FormatException("a " + secret), new SigningKeyException("inner own")));
        }
        catch (CliException ex)
        {
            thrown = ex;
        }

        var trace = Cli.Trace(thrown);

        Assert.DoesNotContain(secret, trace, StringComparison.Ordinal);
        Assert.Contains("ScopeClaims.Cli.Internal.CliException: outer", trace, StringComparison.Ordinal);
        Assert.Contains("---> System.FormatException (message not shown", trace, StringComparison.Ordinal);
        Assert.Contains("---> ScopeClaims.SigningKeyException: inner own", trace, StringComparison.Ordinal);
        Assert.Contains("   at ScopeClaims.Cli.Tests.KeySourceTests.", trace, StringComparison.Ordinal);
    }
}
