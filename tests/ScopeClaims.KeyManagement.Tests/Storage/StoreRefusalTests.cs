using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.KeyManagement.Internal;
using static ScopeClaims.KeyManagement.Tests.ManagedKeyHost;

namespace ScopeClaims.KeyManagement.Tests.Storage;

/// <summary>
/// Every refusal of the store: a corrupt or truncated entry, an entry another key ring wrote, a key of a refused
/// algorithm or size, an entry changed after it was read, a clock that moved backwards, an unusable store. Each fails
/// with a specific exception naming the store, overwrites nothing, creates no key, and quotes no key material.
/// </summary>
public sealed class StoreRefusalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    public static TheoryData<string, string> DamagedEntries => new()
    {
        { "truncated", "half" },
        { "empty", "" },
        { "not json", "garbage" },
        { "duplicate member", "{\"format\":\"scopeclaims.managed-key\",\"format\":\"x\",\"version\":1,\"generation\":1,\"protected\":\"AAAA\"}" },
        { "other generation", "{\"format\":\"scopeclaims.managed-key\",\"version\":1,\"generation\":2,\"protected\":\"AAAA\"}" },
        { "other version", "{\"format\":\"scopeclaims.managed-key\",\"version\":2,\"generation\":1,\"protected\":\"AAAA\"}" },
    };

    [Theory]
    [MemberData(nameof(DamagedEntries))]
    public async Task Start_DamagedEntry_FailsAsMalformedAndLeavesTheStoreAsItWas(string damage, string content)
    {
        var original = await CreateStoreAsync();
        var entry = Path.Combine(_dirs.Store, "key-000000000001.json");
        var bytes = content == "half" ? original[..(original.Length / 2)] : Encoding.UTF8.GetBytes(content);
        File.WriteAllBytes(entry, bytes);

        var ex = await StartFailsAsync();

        var refusal = Assert.IsType<SigningKeyEntryException>(ex.InnerException);
        Assert.Equal(SigningKeyEntryProblem.Malformed, refusal.Problem);
        Assert.Equal(1, refusal.Generation);
        Assert.Contains(_dirs.Store, ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(entry));
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
        _ = damage;
    }

    [Fact]
    public async Task Start_EntryOfAnotherKeyRing_FailsAsUndecryptableAndCreatesNoKey()
    {
        var original = await CreateStoreAsync();
        var otherRing = Path.Combine(_dirs.Root, "other-dp");

        var ex = await StartFailsAsync(dataProtection: otherRing);

        var refusal = Assert.IsType<SigningKeyEntryException>(ex.InnerException);
        Assert.Equal(SigningKeyEntryProblem.Undecryptable, refusal.Problem);
        Assert.Contains("Data Protection could not decrypt it", ex.Message, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(_dirs.Store, "key-000000000001.json")));
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
    }

    [Fact]
    public async Task Start_EntryOfAnotherApplicationName_FailsAsUndecryptable()
    {
        await CreateStoreAsync();

        var ex = await StartFailsAsync(applicationName: "another-app");

        Assert.Equal(SigningKeyEntryProblem.Undecryptable, Assert.IsType<SigningKeyEntryException>(ex.InnerException).Problem);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("RS384")]
    [InlineData("HS256")]
    public async Task Start_EntryOfAnAlgorithmManagedKeysDoNotUse_FailsAsKeyNotAllowed(string algorithm)
    {
        var key = TokenSigningKey.Generate(algorithm);
        WriteEntry(1, Record(1, key.KeyId, algorithm, key.ExportPrivateJwk()));

        var ex = await StartFailsAsync();

        var refusal = Assert.IsType<SigningKeyEntryException>(ex.InnerException);
        Assert.Equal(SigningKeyEntryProblem.KeyNotAllowed, refusal.Problem);
        Assert.Contains($"'{algorithm}'", ex.Message, StringComparison.Ordinal);
        AssertNoKeyMaterial(ex, key.ExportPrivateJwk());
    }

    [Fact]
    public async Task Start_EntryWithAnRsaKeyUnder2048Bits_FailsAsKeyNotAllowed()
    {
        using var rsa = RSA.Create(1024);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)));
        jwk.Kid = "weak";
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = "weak", ["n"] = jwk.N, ["e"] = jwk.E, ["d"] = jwk.D, ["p"] = jwk.P, ["q"] = jwk.Q, ["dp"] = jwk.DP, ["dq"] = jwk.DQ, ["qi"] = jwk.QI,
        });
        WriteEntry(1, Record(1, "weak", "RS256", json));

        var ex = await StartFailsAsync();

        Assert.Equal(SigningKeyEntryProblem.KeyNotAllowed, Assert.IsType<SigningKeyEntryException>(ex.InnerException).Problem);
        AssertNoKeyMaterial(ex, jwk.D);
    }

    [Fact]
    public async Task Start_EntryWhoseKeyIdDiffersFromItsKey_FailsAsMalformed()
    {
        var key = TokenSigningKey.Generate("ES256");
        WriteEntry(1, Record(1, "another-kid", "ES256", key.ExportPrivateJwk()));

        var ex = await StartFailsAsync();

        Assert.Equal(SigningKeyEntryProblem.Malformed, Assert.IsType<SigningKeyEntryException>(ex.InnerException).Problem);
    }

    [Fact]
    public async Task Refresh_EntryChangedAfterItWasRead_IsRefusedAsModifiedAndTheLoadedKeyKeepsSigning()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection);
        var kid = host.Issuer_.Keys.Active.KeyId;
        var entry = Path.Combine(_dirs.Store, "key-000000000001.json");
        var replacement = Record(1, "x", "ES256", TokenSigningKey.Generate("ES256").ExportPrivateJwk());
        WriteEntry(1, replacement);

        var ex = Assert.Throws<SigningKeyEntryException>(() => host.Manager.Refresh());

        Assert.Equal(SigningKeyEntryProblem.Modified, ex.Problem);
        Assert.Equal(kid, host.Issuer_.Keys.GetSigningKey(time.GetUtcNow()).KeyId);
        Assert.Equal(File.ReadAllBytes(entry), File.ReadAllBytes(entry));
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
    }

    [Fact]
    public async Task Refresh_ClockMovedBackwards_ThrowsAndCreatesNothing()
    {
        var time = new SettableTimeProvider(T0.AddDays(9));
        await using var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection);

        time.Now = T0.AddDays(8);
        var ex = Assert.Throws<ClockMovedBackwardsException>(() => host.Manager.Refresh());

        Assert.Contains("earlier than", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
    }

    [Fact]
    public async Task Start_StoreHoldsAKeyCreatedInThisHostsFuture_FailsAndCreatesNothing()
    {
        var time = new FakeTimeProvider(T0.AddDays(1));
        await using (await StartAsync(time, _dirs.Store, _dirs.DataProtection))
        {
        }

        // This host's clock is a day behind the host that created the key, and would see no key able to sign.
        var ex = await StartFailsAsync(time: new FakeTimeProvider(T0));

        Assert.IsType<ClockMovedBackwardsException>(ex.InnerException);
        Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
    }

    [Fact]
    public async Task Start_StoreIsNotADirectory_FailsNamingTheStore()
    {
        Directory.CreateDirectory(_dirs.Root);
        File.WriteAllText(_dirs.Store, "a file");

        var ex = await StartFailsAsync();

        Assert.IsType<SigningKeyStoreUnavailableException>(ex.InnerException);
        Assert.Contains($"file system key store '{_dirs.Store}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("a file", File.ReadAllText(_dirs.Store));
    }

    [Fact]
    public async Task Start_RetentionShorterThanAProfilesMaxLifetime_FailsNamingBoth()
    {
        using var host = Build(new FakeTimeProvider(T0), b => b.PersistKeysToFileSystem(_dirs.Store), _dirs.DataProtection, o => o.RetentionTime = TimeSpan.FromHours(1), maxLifetime: TimeSpan.FromHours(2));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("RetentionTime (01:00:00) is shorter than ScopeTokenOptions.MaxLifetime (02:00:00) of the default profile", StringComparison.Ordinal));
        Assert.Empty(_dirs.StoreFiles());
    }

    [Fact]
    public async Task Refusals_NeverQuoteKeyMaterialInMessagesOrLogs()
    {
        var time = new FakeTimeProvider(T0);
        string privateJwk;
        await using (var host = await StartAsync(time, _dirs.Store, _dirs.DataProtection))
        {
            privateJwk = Unprotected(File.ReadAllBytes(Path.Combine(_dirs.Store, "key-000000000001.json")));
            WriteEntry(1, Record(1, "x", "ES256", TokenSigningKey.Generate("ES256").ExportPrivateJwk()));
            time.Advance(TimeSpan.FromDays(1));
            Assert.Contains(host.Logs.Entries, e => e.Text.Contains("(Modified)", StringComparison.Ordinal));
            foreach (var entry in host.Logs.Entries)
            {
                AssertNoKeyMaterial(entry.Text, privateJwk);
            }
        }

        Assert.Contains("\"d\":", privateJwk, StringComparison.Ordinal);
    }

    private static void AssertNoKeyMaterial(Exception ex, string secret)
    {
        foreach (var e in Chain(ex))
        {
            AssertNoKeyMaterial(e.Message, secret);
        }
    }

    private static void AssertNoKeyMaterial(string text, string secretJsonOrValue)
    {
        foreach (var value in Secrets(secretJsonOrValue))
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> Secrets(string secret)
    {
        if (!secret.StartsWith('{'))
        {
            return [secret];
        }

        using var doc = System.Text.Json.JsonDocument.Parse(secret);
        var key = doc.RootElement.TryGetProperty("key", out var inner) ? inner : doc.RootElement;
        return new[] { "d", "p", "q", "dp", "dq", "qi", "k" }.Where(n => key.TryGetProperty(n, out _)).Select(n => key.GetProperty(n).GetString()!).ToList();
    }

    private async Task<byte[]> CreateStoreAsync()
    {
        await using (await StartAsync(new FakeTimeProvider(T0), _dirs.Store, _dirs.DataProtection))
        {
        }

        return File.ReadAllBytes(Path.Combine(_dirs.Store, "key-000000000001.json"));
    }

    /// <summary>Starts a host that must fail, checks the start-up failure, and returns what the key manager threw (its inner exception is the specific refusal).</summary>
    private async Task<SigningKeyException> StartFailsAsync(string? dataProtection = null, string applicationName = "scopeclaims-tests", TimeProvider? time = null)
    {
        using var host = Build(time ?? new FakeTimeProvider(T0), b => b.PersistKeysToFileSystem(_dirs.Store), dataProtection ?? _dirs.DataProtection, applicationName: applicationName);
        var start = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        var failure = Assert.Single(start.Failures);
        Assert.StartsWith("ScopeTokenOptions.SigningKey (the default profile): Managed signing keys could not be loaded from the file system key store", failure, StringComparison.Ordinal);

        // Note: options validation keeps only the message; asking the key manager again gives the exception itself.
        var manager = host.Services.GetRequiredService<ManagedSigningKeys>();
        var ex = Assert.Throws<SigningKeyException>(() => manager.GetSigningKeys(string.Empty, new ScopeTokenOptions()));
        Assert.Equal(failure, "ScopeTokenOptions.SigningKey (the default profile): " + ex.Message);
        return ex;
    }

    private IDataProtector Protector(string? dataProtection = null)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("scopeclaims-tests").PersistKeysToFileSystem(new DirectoryInfo(dataProtection ?? _dirs.DataProtection));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector(ManagedKeyFormat.Purpose);
    }

    private string Unprotected(byte[] entry)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(entry);
        return Encoding.UTF8.GetString(Protector().Unprotect(doc.RootElement.GetProperty("protected").GetBytesFromBase64()));
    }

    private static string Record(long generation, string kid, string alg, string jwk) =>
        $"{{\"generation\":{generation},\"kid\":\"{kid}\",\"alg\":\"{alg}\",\"created\":{T0.ToUnixTimeSeconds()},\"activates\":{T0.ToUnixTimeSeconds()},\"expires\":{T0.AddDays(10).ToUnixTimeSeconds()},\"key\":{jwk}}}";

    private void WriteEntry(long generation, string record)
    {
        Directory.CreateDirectory(_dirs.Store);
        var ciphertext = Protector().Protect(Encoding.UTF8.GetBytes(record));
        var envelope = $"{{\"format\":\"scopeclaims.managed-key\",\"version\":1,\"generation\":{generation},\"protected\":\"{Convert.ToBase64String(ciphertext)}\"}}";
        File.WriteAllText(Path.Combine(_dirs.Store, $"key-{generation:D12}.json"), envelope);
    }

    /// <summary>A clock a test can set backwards, which FakeTimeProvider refuses.</summary>
    private sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
