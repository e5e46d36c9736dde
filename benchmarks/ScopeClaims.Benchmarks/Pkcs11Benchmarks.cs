using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using ScopeClaims;
using ScopeClaims.Pkcs11;
using ScopeClaims.Pkcs11.Internal;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Issuing a 5-scope token whose key is in SoftHSM2 (through <see cref="Pkcs11TokenSigner"/>) beside a bare
/// <c>C_Sign</c> of the same key on a session of the same module and token, with the same mechanism and a signing input
/// of the token's length (ES256: its SHA-256 digest, signed with <c>CKM_ECDSA</c>, as the signer does).
/// Needs softhsm2 and opensc; makes its own token in a temporary directory (SOFTHSM2_CONF) and removes it on exit.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --interleaved Pkcs11Benchmarks RS256 100
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Pkcs11Benchmarks
{
    private const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    private const string Token = "scopeclaims-bench";
    private const string Pin = "bench-1234";
    private static readonly ScopeSet Scopes = ScopeSet.Parse("read:a write:b read:c write:d admin:e");
    private readonly Dictionary<string, ScopeTokenIssuer> _issuers = [];
    private readonly Dictionary<string, (IMechanism Mechanism, IObjectHandle Key, byte[] Data)> _bare = [];
    private readonly List<Pkcs11TokenSigner> _signers = [];
    private Pkcs11Module _module = null!;
    private ISession _session = null!;
    private string _root = string.Empty;
    private byte[] _input = [];
    private readonly byte[] _signature = new byte[256];

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(Module))
        {
            throw new InvalidOperationException($"{Module} is missing: install softhsm2 and opensc.");
        }

        _root = Directory.CreateTempSubdirectory("scopeclaims-bench-softhsm-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Cleanup();
        var config = Path.Combine(_root, "softhsm2.conf");
        Directory.CreateDirectory(Path.Combine(_root, "tokens"));
        File.WriteAllText(config, $"directories.tokendir = {Path.Combine(_root, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        _ = SetEnvironment("SOFTHSM2_CONF", config, 1);
        Run(config, "softhsm2-util", "--init-token", "--free", "--label", Token, "--so-pin", Pin, "--pin", Pin);
        Run(config, "pkcs11-tool", "--module", Module, "--token-label", Token, "--login", "--pin", Pin, "--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01", "--usage-sign", "--sensitive");
        Run(config, "pkcs11-tool", "--module", Module, "--token-label", Token, "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02", "--usage-sign", "--sensitive");

        foreach (var (alg, label) in new[] { ("RS256", "rsa"), ("ES256", "ec") })
        {
            var signer = Pkcs11TokenSigner.Open(new Pkcs11SigningKeyOptions { LibraryPath = Module, TokenLabel = Token, KeyLabel = label, Algorithm = alg, UserPin = Pin });
            _signers.Add(signer);
            var options = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(TokenSigningKey.FromSigner(signer)) };
            options.Audiences.Add("https://partner.example");
            _issuers[alg] = new ScopeTokenIssuer(options);
        }

        // The bare loop: the module the signers loaded, a session on their (logged-in) token, the same keys and mechanisms.
        _module = Pkcs11Module.Acquire(Module);
        var slot = _module.Library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label.TrimEnd() == Token);
        _session = slot.OpenSession(SessionType.ReadOnly);
        var token = _issuers["RS256"].Issue(Scopes);
        var input = _input = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        foreach (var (alg, label) in new[] { ("RS256", "rsa"), ("ES256", "ec") })
        {
            var key = _session.FindAllObjects([
                Pkcs11Module.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                Pkcs11Module.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label)]).Single();
            var algorithm = Pkcs11Algorithm.Find(alg)!;
            _bare[alg] = (algorithm.CreateMechanism(Pkcs11Module.Factories), key, algorithm.DataToSign(input));
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("RS256")]
    public byte[] CSign_RS256() => Bare("RS256");

    [Benchmark, BenchmarkCategory("RS256")]
    public string ScopeClaims_RS256() => _issuers["RS256"].Issue(Scopes);

    /// <summary>The signer alone (pool, digest, C_Sign) on the same signing input, to split the issuing overhead.</summary>
    [Benchmark, BenchmarkCategory("RS256")]
    public int Signer_RS256() => SignOnly("RS256");

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public byte[] CSign_ES256() => Bare("ES256");

    [Benchmark, BenchmarkCategory("ES256")]
    public string ScopeClaims_ES256() => _issuers["ES256"].Issue(Scopes);

    [Benchmark, BenchmarkCategory("ES256")]
    public int Signer_ES256() => SignOnly("ES256");

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_root.Length == 0)
        {
            return;
        }

        _session?.Dispose();
        _signers.ForEach(s => s.Dispose());
        _module?.Release();
        Directory.Delete(_root, recursive: true);
        _root = string.Empty;
    }

    private int SignOnly(string alg)
    {
        var signer = _signers[alg == "RS256" ? 0 : 1];
        signer.TrySign(_input, _signature, out var written);
        return written;
    }

    private byte[] Bare(string alg)
    {
        var (mechanism, key, data) = _bare[alg];
        return _session.Sign(mechanism, key, data);
    }

    private static void Run(string config, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["SOFTHSM2_CONF"] = config;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error.Result}");
        }
    }

    // Note: SoftHSM2 reads SOFTHSM2_CONF with getenv; Environment.SetEnvironmentVariable does not reach native code on Unix.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnvironment(string name, string value, int overwrite);
}
