namespace ScopeClaims.KeyManagement;

/// <summary>
/// The key manager's controls, for a host that learns of a key before its next scheduled read of the store, e.g. a
/// token from another host of the fleet whose <c>kid</c> it does not know yet. Registered by <c>AddScopeTokenKeyManagement</c>.
/// </summary>
public interface IManagedSigningKeys
{
    /// <summary>Reads the store now, creating a key if one is due.</summary>
    /// <exception cref="SigningKeyStoreUnavailableException">The store cannot be reached; the keys loaded before are kept.</exception>
    /// <exception cref="SigningKeyEntryException">An entry was refused; the keys loaded before are kept.</exception>
    /// <exception cref="ClockMovedBackwardsException">The clock is behind a time already seen; the keys are read, but none is created or removed.</exception>
    void Refresh();

    /// <summary>
    /// Reads the store again if <paramref name="keyId"/> is not a published managed key, at most once per
    /// <see cref="ScopeTokenKeyManagementOptions.RefreshInterval"/> divided by 10 (and at least 1 second apart), so a flood of
    /// unknown key ids cannot turn into a flood of store reads.
    /// </summary>
    /// <param name="keyId">The key id seen.</param>
    /// <returns><see langword="true"/> when the key id is a published managed key (after the read, if one was made).</returns>
    /// <remarks>A failed read is logged, not thrown.</remarks>
    bool RefreshForUnknownKeyId(string keyId);
}
