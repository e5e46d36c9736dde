using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Internal;

namespace ScopeClaims.Tests.Keys;

/// <summary>
/// Key files are read only when they are regular files (or links to one) of at most 1 MiB: a device, a FIFO, a
/// directory, a NUL in the path or an oversized file is a <see cref="SigningKeyException"/> at once, never a hang, an
/// out-of-memory or an <see cref="ArgumentException"/>.
/// </summary>
public sealed class KeyFileSourceTests : IDisposable
{
    private readonly SpecialFiles _files = OperatingSystem.IsLinux() ? new SpecialFiles() : null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("scopeclaims-keyfiles-").FullName;

    public void Dispose()
    {
        _files?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Every factory that reads a key file, given the path to read.</summary>
    public static TheoryData<string> Factories() => new() { "FromFile", "FromPemFile", "FromJwkFile", "FromPfxFile", "FromPemCertificate", "FromPemCertificate(key)" };

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_CharacterDevice_IsRefusedWithoutReading(string factory)
    {
        foreach (var device in new[] { "/dev/zero", "/dev/urandom" })
        {
            var ex = Assert.Throws<SigningKeyException>(() => Load(factory, device));

            Assert.Contains($"'{device}' is a character device, not a regular file", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_Fifo_IsRefusedWithoutBlocking(string factory)
    {
        var ex = _files.WithoutHanging(() => Record.Exception(() => Load(factory, _files.Fifo)));

        Assert.IsType<SigningKeyException>(ex);
        Assert.Contains("is a FIFO (named pipe), not a regular file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_LinkToFifoOrDevice_IsRefused(string factory)
    {
        var fifo = _files.WithoutHanging(() => Record.Exception(() => Load(factory, _files.LinkToFifo)));
        var zero = Assert.Throws<SigningKeyException>(() => Load(factory, _files.LinkToZero));

        Assert.Contains("is a FIFO", Assert.IsType<SigningKeyException>(fifo).Message, StringComparison.Ordinal);
        Assert.Contains("is a character device", zero.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_DirectoryMissingOrDanglingLink_IsRefused(string factory)
    {
        Assert.Contains("is a directory", Assert.Throws<SigningKeyException>(() => Load(factory, _files.SubDirectory)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<SigningKeyException>(() => Load(factory, _files.File("missing.pem"))).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<SigningKeyException>(() => Load(factory, _files.DanglingLink)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_NulInPath_IsSigningKeyException(string factory)
    {
        var ex = Record.Exception(() => Load(factory, Path.Combine(_dir, "key\0.pem")));

        Assert.IsType<SigningKeyException>(ex);
        Assert.Contains("contains a NUL character", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_FileOverOneMebibyte_IsRefused(string factory)
    {
        var path = Path.Combine(_dir, "large.pem");
        File.WriteAllText(path, Padded(ValidPem(), BoundedFile.MaxBytes + 1));

        var ex = Assert.Throws<SigningKeyException>(() => Load(factory, path));

        Assert.Contains("is larger than 1 MiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_FileOfExactlyOneMebibyte_Loads()
    {
        var path = Path.Combine(_dir, "large.pem");
        File.WriteAllText(path, Padded(ValidPem(), BoundedFile.MaxBytes));

        Assert.Equal(BoundedFile.MaxBytes, new FileInfo(path).Length);
        Assert.Equal("ES256", TokenSigningKey.FromFile(path).Algorithm);
    }

    [Fact]
    public void FromFile_LinkToRegularFile_Loads()
    {
        File.WriteAllText(_files.Regular, ValidPem());

        Assert.Equal("ES256", TokenSigningKey.FromFile(_files.LinkToRegular).Algorithm);
        Assert.Equal("ES256", TokenSigningKey.FromPemFile(_files.LinkToRegular).Algorithm);
    }

    [Fact]
    public void FromFile_ProcFileReportingLengthZero_IsReadWithoutQuotingIt()
    {
        // /proc files are regular files that report a length of 0: read to their end, never trusting the length, and
        // their content (here the process environment) is never quoted.
        var environment = File.ReadAllText("/proc/self/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromFile("/proc/self/environ"));

        Assert.Contains("holds neither PEM", ex.Message, StringComparison.Ordinal);
        // Stack traces are left out: they name source paths, which can hold the working directory the environment names.
        SecretLeak.AssertAbsentFromMessages(ex, environment.Where(static e => e.Length >= 16));
    }

    [Fact]
    public void FromFile_EmptyFile_IsRefusedAsEmpty()
    {
        var path = Path.Combine(_dir, "empty.pem");
        File.WriteAllText(path, string.Empty);

        Assert.Contains("is empty", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromFile(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPortably_WithoutStatx_RefusesFifoDeviceDirectoryAndEmptyFile()
    {
        // Where statx(2) is missing, every special file still reports a length of 0 and is refused unopened.
        var empty = _files.File("empty.pem");
        File.WriteAllText(empty, string.Empty);
        File.WriteAllText(_files.Regular, ValidPem());

        Assert.Contains("not a regular file", BoundedFile.CheckPortably(_files.Fifo), StringComparison.Ordinal);
        Assert.Contains("not a regular file", BoundedFile.CheckPortably("/dev/zero"), StringComparison.Ordinal);
        Assert.Contains("not a regular file", BoundedFile.CheckPortably(_files.LinkToFifo), StringComparison.Ordinal);
        Assert.Contains("is empty", BoundedFile.CheckPortably(empty), StringComparison.Ordinal);
        Assert.Contains("is a directory", BoundedFile.CheckPortably(_files.SubDirectory), StringComparison.Ordinal);
        Assert.Contains("does not exist", BoundedFile.CheckPortably(_files.DanglingLink), StringComparison.Ordinal);
        Assert.Null(BoundedFile.CheckPortably(_files.Regular));
        Assert.Null(BoundedFile.CheckPortably(_files.LinkToRegular));
    }

    [Theory]
    [InlineData("keys/signing.pem", "'keys/signing.pem'")]
    [InlineData("-----BEGIN PRIVATE KEY-----MIIE", "(not shown: it does not look like a path)")]
    [InlineData("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", "(not shown: it does not look like a path)")]
    [InlineData("a\nb", "(not shown: it does not look like a path)")]
    [InlineData("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==", "(not shown: it does not look like a path)")]
    [InlineData("s3cr3t_HMAC-key_0123", "(not shown: it does not look like a path)")]
    [InlineData("signing.pem", "'signing.pem'")]
    [InlineData("short_key", "'short_key'")]
    [InlineData("", "(empty)")]
    public void Describe_PathOrKeyContent_ShowsOnlyPaths(string path, string expected)
    {
        Assert.Equal(expected, BoundedFile.Describe(path));
    }

    public static TheoryData<string> ConfiguredFaults() => new() { "/dev/zero", "/dev/urandom", "fifo", "link-to-fifo", "nul" };

    [Theory]
    [MemberData(nameof(ConfiguredFaults))]
    public async Task HostStart_SpecialFileAsKeyPath_FailsNamingTheOption(string fault)
    {
        var path = fault switch
        {
            "fifo" => _files.Fifo,
            "link-to-fifo" => _files.LinkToFifo,
            "nul" => _files.File("key\0.pem"),
            _ => fault,
        };
        foreach (var option in new[] { "Path", "CertificatePath" })
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ScopeTokens:Issuer"] = "https://issuer.test",
                ["ScopeTokens:Audiences:0"] = "https://partner.test",
                ["ScopeTokens:SigningKey:" + option] = path,
            });
            builder.Services.AddArrayScopeTokens(builder.Configuration.GetSection("ScopeTokens"));
            using var host = builder.Build();

            var ex = _files.WithoutHanging(() => Record.Exception(() => host.StartAsync().GetAwaiter().GetResult()));

            var failure = Assert.Single(KeyMaterialLeakTests.Expect<OptionsValidationException>(ex, option).Failures);
            Assert.StartsWith($"ScopeTokenOptions.SigningKey (the default profile): SigningKey.{option}: ", failure, StringComparison.Ordinal);
        }
    }

    private TokenSigningKey Load(string factory, string path)
    {
        return factory switch
        {
            "FromFile" => TokenSigningKey.FromFile(path),
            "FromPemFile" => TokenSigningKey.FromPemFile(path),
            "FromJwkFile" => TokenSigningKey.FromJwkFile(path),
            "FromPfxFile" => TokenSigningKey.FromPfxFile(path, "password"),
            "FromPemCertificate" => TokenSigningKey.FromPemCertificate(path),
            _ => TokenSigningKey.FromPemCertificate(CertificateFile(), path),
        };
    }

    private string CertificateFile()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_dir, "certificate.crt");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static string ValidPem()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>Pads PEM text with a comment line before it (PEM allows text around a block) to exactly <paramref name="bytes"/>.</summary>
    private static string Padded(string pem, int bytes)
    {
        var padding = bytes - Encoding.UTF8.GetByteCount(pem) - 1;
        return new string('#', padding) + "\n" + pem;
    }
}
