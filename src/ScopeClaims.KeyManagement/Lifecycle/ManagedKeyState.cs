namespace ScopeClaims.KeyManagement.Internal;

/// <summary>Where a managed key is in its life at a given moment.</summary>
internal enum ManagedKeyState
{
    /// <summary>Published, not signing yet.</summary>
    Announced,

    /// <summary>Published and signing.</summary>
    Active,

    /// <summary>Published, no longer signing: tokens it signed still verify.</summary>
    Retired,

    /// <summary>No longer published; removed from the store.</summary>
    Expired,
}
