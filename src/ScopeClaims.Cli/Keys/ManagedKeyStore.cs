extern alias KeyManagement;

using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using KeyManagement::ScopeClaims.KeyManagement;
using KeyManagement::ScopeClaims.KeyManagement.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>
/// A managed key store on the file system opened by the tool, with the Data Protection key ring its hosts use: the
/// directory of the key ring (<c>PersistKeysToFileSystem</c>) and the application name (<c>SetApplicationName</c>).
/// </summary>
internal sealed class ManagedKeyStore : IDisposable
{
    private readonly ServiceProvider _services;

    private ManagedKeyStore(ServiceProvider services, ManagedSigningKeys keys)
    {
        _services = services;
        Keys = keys;
    }

    public ManagedSigningKeys Keys { get; }

    /// <summary>Opens the store; refuses a key ring directory without a key, which would make a new ring no host can read.</summary>
    /// <remarks>With <paramref name="createDataProtectionKeys"/> false (list only decrypts), Data Protection never adds a key to the ring; rotate encrypts, so it may, as the hosts would.</remarks>
    public static ManagedKeyStore Open(string store, string dataProtectionKeys, string applicationName, ScopeTokenKeyManagementOptions options, bool createDataProtectionKeys)
    {
        if (!Directory.Exists(dataProtectionKeys) || Directory.GetFiles(dataProtectionKeys, "key-*.xml").Length == 0)
        {
            throw CliException.Usage($"--data-protection-keys: '{dataProtectionKeys}' holds no Data Protection key (key-*.xml); give the key ring directory your hosts use (PersistKeysToFileSystem), since entries encrypted with another ring can be read by no host.");
        }

        var fileStore = new FileSystemSigningKeyStore(store);
        var problems = new ScopeTokenKeyManagementOptionsValidator([fileStore]).Validate(null, options);
        if (problems.Failed)
        {
            throw CliException.Usage(string.Join(" ", problems.Failures));
        }

        var services = new ServiceCollection();
        var dataProtection = services.AddDataProtection().SetApplicationName(applicationName).PersistKeysToFileSystem(new DirectoryInfo(dataProtectionKeys));
        if (!createDataProtectionKeys)
        {
            dataProtection.DisableAutomaticKeyGeneration();
        }

        var provider = services.BuildServiceProvider();
        return new ManagedKeyStore(provider, new ManagedSigningKeys(options, fileStore, provider.GetRequiredService<IDataProtectionProvider>(), TimeProvider.System, NullLogger.Instance));
    }

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string State(ManagedKeyState state) => state.ToString().ToLowerInvariant();

    public static string Table(string[] header, string[][] rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Length == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))) + "\n";
        return Line(header) + string.Concat(rows.Select(Line));
    }

    public void Dispose()
    {
        Keys.Dispose();
        _services.Dispose();
    }
}
