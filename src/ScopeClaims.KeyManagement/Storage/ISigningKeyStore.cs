using System.Collections.Generic;

namespace ScopeClaims.KeyManagement;

/// <summary>
/// Where managed keys live: a set of numbered entries, each written once and never changed. Entries are opaque bytes
/// (the key manager encrypts them with Data Protection before they get here). Implementations must be thread-safe.
/// </summary>
/// <remarks>
/// The one operation that must be atomic is <see cref="TryCreate"/>: of several hosts creating the same generation at
/// once, exactly one succeeds, with the store's own primitive (an exclusive file create, Redis <c>HSETNX</c>), and an
/// entry is never visible half-written.
/// </remarks>
public interface ISigningKeyStore
{
    /// <summary>Gets a description of the store for messages and logs, e.g. <c>file system store '/var/lib/app/keys'</c>; never a password.</summary>
    string Name { get; }

    /// <summary>Reads every entry.</summary>
    /// <returns>The entries, in any order.</returns>
    /// <exception cref="SigningKeyStoreUnavailableException">The store cannot be reached or read.</exception>
    IReadOnlyList<StoredSigningKey> Load();

    /// <summary>Creates the entry of a generation unless one exists, atomically.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns><see langword="true"/> when this call created it; <see langword="false"/> when the generation already had an entry, which is left as it was.</returns>
    /// <exception cref="SigningKeyStoreUnavailableException">The store cannot be reached or written; nothing was created.</exception>
    bool TryCreate(StoredSigningKey entry);

    /// <summary>Removes the entry of a generation, if any.</summary>
    /// <param name="generation">The generation.</param>
    /// <exception cref="SigningKeyStoreUnavailableException">The store cannot be reached or written.</exception>
    void Delete(long generation);
}
