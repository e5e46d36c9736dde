using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Cli.Tests;

/// <summary>
/// <c>keys list</c> and <c>keys rotate</c> on a managed-key store written by a real host, with the host's Data
/// Protection key ring; and real tool processes racing a host on one directory, never creating two keys for one slot.
/// </summary>
public sealed class ManagedKeysCommandTests : IDisposable
{
    private const string Application = "partner-tokens";
    private readonly TempDirectory _dir = new();

    public ManagedKeysCommandTests()
    {
        // The host's Data Protection key ring, made as a host would make it.
        using var services = DataProtection(Application).BuildServiceProvider();
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("warm-up").Protect([1]);
    }

    private string Store => _dir.File("keys");

    private string Ring => _dir.File("dp");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task List_StoreOfARunningHost_ShowsItsActiveKeyAndNoPrivateParameter()
    {
        using var host = await StartHostAsync();
        var kid = host.Services.GetRequiredService<IScopeTokenIssuer>().Keys.Active.KeyId;

        var result = CliRunner.Run("keys", "list", "--store", Store, "--data-protection-keys", Ring, "--application-name", Application);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.Equal(["generation", "kid", "alg", "state", "created", "activates", "retires"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["1", kid, "ES256", "active"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
        Assert.DoesNotContain("{", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_ThenList_AnnouncesOneKeyAndRefusesASecondAnnouncement()
    {
        using (await StartHostAsync())
        {
        }

        var rotated = CliRunner.Run("keys", "rotate", "--store", Store, "--data-protection-keys", Ring, "--application-name", Application, "--alg", "ES256", "--propagation-time", "2d", "--rotation-interval", "10d");
        var again = CliRunner.Run("keys", "rotate", "--store", Store, "--data-protection-keys", Ring, "--application-name", Application, "--alg", "ES256", "--propagation-time", "2d", "--rotation-interval", "10d");
        var list = CliRunner.Run("keys", "list", "--store", Store, "--data-protection-keys", Ring, "--application-name", Application);

        Assert.Equal(0, rotated.ExitCode);
        Assert.StartsWith("announced key ", rotated.Out, StringComparison.Ordinal);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is already announced", again.Error, StringComparison.Ordinal);
        var states = list.Out.TrimEnd().Split('\n').Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]).ToArray();
        Assert.Equal(["announced", "active"], states);
        Assert.Equal(["key-000000000001.json", "key-000000000002.json"], Directory.GetFiles(Store).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void List_KeyRingDirectoryWithoutKeys_ExitsTwoNamingIt()
    {
        var empty = _dir.File("empty");
        Directory.CreateDirectory(empty);

        var result = CliRunner.Run("keys", "list", "--store", Store, "--data-protection-keys", empty, "--application-name", Application);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{empty}' holds no Data Protection key", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(empty));
    }

    [Fact]
    public async Task List_AnotherApplicationName_ExitsTwoWithTheUndecryptableEntry()
    {
        using (await StartHostAsync())
        {
        }

        var result = CliRunner.Run("keys", "list", "--store", Store, "--data-protection-keys", Ring, "--application-name", "another-app");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("(Undecryptable)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_FourToolProcessesRacingAHostOnOneDirectory_CreateExactlyOneKey()
    {
        using var host = await StartHostAsync();
        var manager = host.Services.GetRequiredService<ScopeClaims.KeyManagement.IManagedSigningKeys>();
        string[] rotate = ["keys", "rotate", "--store", Store, "--data-protection-keys", Ring, "--application-name", Application, "--alg", "ES256", "--propagation-time", "2d", "--rotation-interval", "10d"];

        var processes = Enumerable.Range(0, 4).Select(_ => RunToolAsync(rotate)).ToList();
        for (var i = 0; i < 20 && processes.Any(p => !p.IsCompleted); i++)
        {
            manager.Refresh();
            await Task.Delay(50);
        }

        var results = await Task.WhenAll(processes);
        manager.Refresh();

        Assert.Single(results, r => r.ExitCode == 0);
        Assert.All(results.Where(r => r.ExitCode != 0), r => Assert.Equal(1, r.ExitCode));
        Assert.Equal(["key-000000000001.json", "key-000000000002.json"], Directory.GetFiles(Store).Select(Path.GetFileName).Order());
        Assert.Equal(2, host.Services.GetRequiredService<IScopeTokenIssuer>().Keys.Keys.Count);
    }

    private IServiceCollection DataProtection(string application)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(application).PersistKeysToFileSystem(new DirectoryInfo(Ring));
        return services;
    }

    private async Task<IHost> StartHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataProtection().SetApplicationName(Application).PersistKeysToFileSystem(new DirectoryInfo(Ring));
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://partner.test");
            o.SigningKey.Managed = true;
        });
        builder.Services.AddScopeTokenKeyManagement(o =>
        {
            o.Algorithm = "ES256";
            o.RotationInterval = TimeSpan.FromDays(10);
            o.PropagationTime = TimeSpan.FromDays(2);
        }).PersistKeysToFileSystem(Store);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<CliResult> RunToolAsync(string[] args)
    {
        var configuration = typeof(Cli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryFiles.PathOf($"src/ScopeClaims.Cli/bin/{configuration}/net10.0/ScopeClaims.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
