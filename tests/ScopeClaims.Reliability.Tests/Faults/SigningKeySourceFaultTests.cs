using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims;

namespace ScopeClaims.Reliability.Tests.Faults;

/// <summary>
/// A configured key source that fails (missing, unreadable, public-only, a device, a FIFO, a NUL in the path, too large)
/// is a typed error at start, naming the option, and never a fallback to another key, a hang or an out-of-memory.
/// (Public-only keys given directly to TokenSigningKey are covered in ScopeClaims.Tests.)
/// </summary>
public sealed class SigningKeySourceFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scopeclaims-keyfaults-").FullName;
    private readonly string _privateJwk = TokenSigningKey.Generate("RS256", "private").ExportPrivateJwk();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> FaultySources()
    {
        var data = new TheoryData<string>
        {
            "missing-file",
            "directory",
            "empty-file",
            "public-pem-file",
            "public-pem-text",
            "public-jwk-text",
            "public-jwk-file",
            "certificate-missing",
            "certificate-without-key",
            "nul-in-path",
            "nul-in-certificate-path",
            "file-over-1-mib",
            "malformed-private-jwk",
        };
        if (OperatingSystem.IsLinux())
        {
            data.Add("dev-zero");
            data.Add("dev-urandom");
            data.Add("fifo");
            data.Add("certificate-fifo");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FaultySources))]
    public void Constructor_FaultyKeySource_ThrowsOptionsValidationNamingSigningKey(string fault)
    {
        var options = Options(fault);

        var ex = WithoutHanging(() => Record.Exception(() => new ScopeTokenIssuer(options)));

        var failure = Assert.Single(Assert.IsType<OptionsValidationException>(ex).Failures);
        Assert.StartsWith("ScopeTokenOptions.SigningKey (the default profile): SigningKey.", failure, StringComparison.Ordinal);
        Assert.Null(options.SigningKeys);
    }

    [Theory]
    [MemberData(nameof(FaultySources))]
    public async Task HostStart_FaultyKeySource_FailsWithoutFallback(string fault)
    {
        var faulty = Options(fault);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = faulty.Issuer;
            o.Audiences.Add("https://partner.test");
            o.SigningKey = faulty.SigningKey;
        });

        // A second, healthy profile in the same host must not lend its key to the faulty default one.
        builder.Services.AddArrayScopeTokens("healthy", o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate("ES256", "healthy"));
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => WithoutHanging(() => host.StartAsync().GetAwaiter().GetResult())));

        Assert.Contains(ex.Failures, f => f.StartsWith("ScopeTokenOptions.SigningKey", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IScopeTokenIssuer>());
    }

    [Fact]
    public void Constructor_KeyFileAppearsAfterAFailedLoad_IsLoaded_NoFailureCached()
    {
        var path = Path.Combine(_dir, "key.pem");
        var options = Options("missing-file");
        options.SigningKey.Path = path;
        Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        // The file appears: the same options now load it, so a failure was not cached as a (null or default) key.
        using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(path, ec.ExportPkcs8PrivateKeyPem());
        }

        var issuer = new ScopeTokenIssuer(options);

        Assert.Equal("ES256", issuer.Keys.Active.Algorithm);
    }

    [Fact]
    public void Exception_FaultyKeySource_NeverQuotesTheKeyMaterial()
    {
        using var rsa = RSA.Create(2048);
        var publicPem = rsa.ExportSubjectPublicKeyInfoPem();
        var options = Options("public-pem-text");
        options.SigningKey.Pem = publicPem;

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        var body = publicPem.Split('\n')[1];
        Assert.DoesNotContain(body, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_MalformedPrivateJwk_NeverQuotesThePrivateMembers()
    {
        var options = Options("malformed-private-jwk");
        var jwk = System.Text.Json.JsonDocument.Parse(_privateJwk).RootElement;

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenIssuer(options));

        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            foreach (var member in new[] { "d", "p", "q", "dp", "dq", "qi" })
            {
                Assert.DoesNotContain(jwk.GetProperty(member).GetString()![..16], e.ToString(), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Fails the test, rather than hanging the run, when a key source blocks (a FIFO read with no writer).</summary>
    private T WithoutHanging<T>(Func<T> action)
    {
        var task = Task.Run(action);
        if (Task.WaitAny(new Task[] { task }, TimeSpan.FromMinutes(1)) < 0)
        {
            // Release the blocked reader before failing.
            using (new FileStream(Path.Combine(_dir, "key.fifo"), FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail("Loading the key blocked.");
        }

        return task.GetAwaiter().GetResult();
    }

    private void WithoutHanging(Action action) => WithoutHanging(() =>
    {
        action();
        return 0;
    });

    private string Fifo()
    {
        var path = Path.Combine(_dir, "key.fifo");
        using var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", new[] { path }) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private ScopeTokenOptions Options(string fault)
    {
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test" };
        options.Audiences.Add("https://partner.test");
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicJwk = TokenSigningKey.Generate("ES256", "public-only").ToPublicJsonWebKey()!;
        var publicJwkJson = $$"""{"kty":"EC","crv":"P-256","x":"{{publicJwk.X}}","y":"{{publicJwk.Y}}","kid":"public-only"}""";
        switch (fault)
        {
            case "missing-file":
                options.SigningKey.Path = Path.Combine(_dir, "missing.pem");
                break;
            case "directory":
                options.SigningKey.Path = _dir;
                break;
            case "empty-file":
                options.SigningKey.Path = Write("empty.pem", string.Empty);
                break;
            case "public-pem-file":
                options.SigningKey.Path = Write("public.pem", rsa.ExportSubjectPublicKeyInfoPem());
                break;
            case "public-pem-text":
                options.SigningKey.Pem = ec.ExportSubjectPublicKeyInfoPem();
                break;
            case "public-jwk-text":
                options.SigningKey.Jwk = publicJwkJson;
                break;
            case "public-jwk-file":
                options.SigningKey.Path = Write("public.jwk", publicJwkJson);
                break;
            case "certificate-missing":
                options.SigningKey.CertificatePath = Path.Combine(_dir, "missing.pfx");
                break;
            case "certificate-without-key":
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using (var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
                {
                    options.SigningKey.CertificatePath = Write("public.crt", certificate.ExportCertificatePem());
                }

                break;
            case "nul-in-path":
                options.SigningKey.Path = Path.Combine(_dir, "key\0.pem");
                break;
            case "nul-in-certificate-path":
                options.SigningKey.CertificatePath = Path.Combine(_dir, "cert\0.pfx");
                break;
            case "file-over-1-mib":
                options.SigningKey.Path = Write("large.pem", new string('#', 1024 * 1024) + "\n" + ec.ExportPkcs8PrivateKeyPem());
                break;
            case "malformed-private-jwk":
                options.SigningKey.Jwk = _privateJwk.TrimEnd().TrimEnd('}') + ",}";
                break;
            case "dev-zero":
                options.SigningKey.Path = "/dev/zero";
                break;
            case "dev-urandom":
                options.SigningKey.Path = "/dev/urandom";
                break;
            case "fifo":
                options.SigningKey.Path = Fifo();
                break;
            case "certificate-fifo":
                options.SigningKey.CertificatePath = Fifo();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }

        return options;
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
