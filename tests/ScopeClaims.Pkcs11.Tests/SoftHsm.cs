using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Pkcs11;

namespace ScopeClaims.Pkcs11.Tests;

/// <summary>
/// A SoftHSM2 of the test run's own: a configuration file and a token directory in a temporary directory (never the
/// system's), tokens initialized and keys generated inside them by softhsm2-util and pkcs11-tool, all removed at the end.
/// </summary>
/// <remarks>
/// SoftHSM2 reads SOFTHSM2_CONF once per C_Initialize and PKCS#11 is initialized once per process, so every test that
/// uses the module shares this one fixture (the <see cref="SoftHsmGroup"/>), and every token and key is made
/// before the module is first loaded. The environment variable is set with libc's setenv, since .NET's
/// Environment.SetEnvironmentVariable does not reach native code on Unix.
/// </remarks>
public sealed class SoftHsm : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Token = "scopeclaims-test";
    public const string RemovableToken = "scopeclaims-removable";
    public const string Pin = "Pin-7391-secret";
    public const string SoPin = "So-5512-secret";
    public const string Issuer = "https://issuer.example";
    public const string Audience = "https://partner.example";

    private readonly string? _root;

    public SoftHsm()
    {
        if (!File.Exists(Module) || !OnPath("softhsm2-util") || !OnPath("pkcs11-tool"))
        {
            SkipReason = $"SoftHSM2 or OpenSC is not installed ({Module}, softhsm2-util, pkcs11-tool); install softhsm2 and opensc (.ci/run does).";
            return;
        }

        _root = Directory.CreateTempSubdirectory("scopeclaims-softhsm-").FullName;
        TokenDirectory = Path.Combine(_root, "tokens");
        Directory.CreateDirectory(TokenDirectory);
        ConfigPath = Path.Combine(_root, "softhsm2.conf");
        File.WriteAllText(ConfigPath, $"directories.tokendir = {TokenDirectory}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        if (SetEnvironment("SOFTHSM2_CONF", ConfigPath) != 0)
        {
            throw new InvalidOperationException("setenv SOFTHSM2_CONF failed.");
        }

        // The removable token first, alone in the directory, so its directory is known.
        InitToken(RemovableToken);
        RemovableTokenDirectory = Assert.Single(Directory.GetDirectories(TokenDirectory));
        GenerateKeyPair(RemovableToken, "rsa:2048", "removable-rsa", "01");

        InitToken(Token);
        GenerateKeyPair(Token, "rsa:2048", "rsa", "01");
        GenerateKeyPair(Token, "EC:prime256v1", "ec256", "02");
        GenerateKeyPair(Token, "rsa:1024", "rsa1024", "03");
        GenerateKeyPair(Token, "EC:secp384r1", "ec384", "04");
        GenerateKeyPair(Token, "rsa:2048", "extractable", "05", "--extractable");
        GenerateKeyPair(Token, "EC:prime256v1", "mismatched", "06");
        GenerateKeyPair(Token, "EC:prime256v1", "other", "07");

        // A private key whose public key object (found by CKA_ID) is another key's: the pairwise check must refuse it.
        Tool(Token, "--delete-object", "--type", "pubkey", "--id", "06");
        Tool(Token, "--set-id", "06", "--type", "pubkey", "--id", "07");
    }

    /// <summary>Gets why SoftHSM2 tests are skipped, or <see langword="null"/> when it is installed.</summary>
    public string? SkipReason { get; }

    public string TokenDirectory { get; } = string.Empty;

    public string RemovableTokenDirectory { get; } = string.Empty;

    public string ConfigPath { get; } = string.Empty;

    /// <summary>Gets where the removable token's directory goes while it is away: outside the token directory, which SoftHSM2 scans.</summary>
    public string AwayDirectory => Path.Combine(Path.GetDirectoryName(TokenDirectory)!, "away");

    public void SkipIfMissing() => Skip.If(SkipReason is not null, SkipReason);

    public static Pkcs11SigningKeyOptions Options(string keyLabel, string algorithm, string token = Token) => new()
    {
        LibraryPath = Module,
        TokenLabel = token,
        KeyLabel = keyLabel,
        Algorithm = algorithm,
        UserPin = Pin,
        RetryInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Verifies a token with Microsoft.IdentityModel against a JWKS, as a partner does.</summary>
    public static TokenValidationResult Validate(string token, string jwks) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidAlgorithms = ["RS256", "PS256", "ES256"],
        }).GetAwaiter().GetResult();

    public static ScopeTokenIssuer IssuerOf(TokenSigner signer) => new(new ScopeTokenOptions
    {
        Issuer = Issuer,
        Audiences = { Audience },
        SigningKeys = new SigningKeySet(TokenSigningKey.FromSigner(signer)),
    });

    public static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }

    /// <summary>Asserts that neither the PIN nor the SO PIN appears in an exception, at any depth, nor in its ToString.</summary>
    public static void AssertNoPin(Exception ex)
    {
        foreach (var e in Chain(ex))
        {
            Assert.DoesNotContain(Pin, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(SoPin, e.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Pin, ex.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Creates a new token with the removable token's label and a new key with its key's label (the original must be away); returns its directory.</summary>
    public string CreateRemovableTokenReplacement()
    {
        var before = Directory.GetDirectories(TokenDirectory);
        InitToken(RemovableToken);
        var created = Assert.Single(Directory.GetDirectories(TokenDirectory).Except(before));
        GenerateKeyPair(RemovableToken, "rsa:2048", "removable-rsa", "01");
        return created;
    }

    public void Dispose()
    {
        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void InitToken(string label) =>
        Run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SoPin, "--pin", Pin);

    private void GenerateKeyPair(string token, string keyType, string label, string id, params string[] extra) =>
        Tool(token, ["--keypairgen", "--key-type", keyType, "--label", label, "--id", id, "--usage-sign", "--sensitive", .. extra]);

    private void Tool(string token, params string[] arguments) =>
        Run("pkcs11-tool", ["--module", Module, "--token-label", token, "--login", "--pin", Pin, .. arguments]);

    private void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = ConfigPath;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments.FirstOrDefault()} failed: {error} {output.Result}");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnvironment(string name, string value, int overwrite = 1);
}

/// <summary>Every test that loads SoftHSM2: one module per process, so they share it and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
