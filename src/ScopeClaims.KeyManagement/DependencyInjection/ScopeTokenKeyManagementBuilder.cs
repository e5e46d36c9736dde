using System;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.KeyManagement.Internal;

namespace ScopeClaims.KeyManagement;

/// <summary>Chooses where managed keys are stored; returned by <c>AddScopeTokenKeyManagement</c>. Exactly one store is required.</summary>
public sealed class ScopeTokenKeyManagementBuilder
{
    /// <summary>Initializes a new instance of the <see cref="ScopeTokenKeyManagementBuilder"/> class.</summary>
    /// <param name="services">The services.</param>
    public ScopeTokenKeyManagementBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>Gets the services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Stores the keys in a directory on the local file system: one machine, or several processes sharing the directory.
    /// The directory is created (mode 700 on Unix) if it does not exist; each key is a file of its own (mode 600),
    /// encrypted with Data Protection.
    /// </summary>
    /// <param name="directory">The directory, e.g. <c>/var/lib/myapp/keys</c>.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// A new key is written to a temporary file created exclusively and moved to its name without replacing anything,
    /// so two processes never create two keys for one generation, and an entry is never seen half-written. Use a local
    /// file system (one that supports hard links); for a fleet of machines use a shared store such as Redis.
    /// </remarks>
    public ScopeTokenKeyManagementBuilder PersistKeysToFileSystem(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return UseStore(_ => new FileSystemSigningKeyStore(directory));
    }

    /// <summary>Stores the keys in a store of your own; see <see cref="ISigningKeyStore"/> for what it must guarantee.</summary>
    /// <param name="factory">Makes the store, once.</param>
    /// <returns>This builder.</returns>
    public ScopeTokenKeyManagementBuilder UseStore(Func<IServiceProvider, ISigningKeyStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);

        // Note: added, not TryAdd: two stores are refused on start rather than one silently winning.
        Services.AddSingleton(factory);
        return this;
    }
}
