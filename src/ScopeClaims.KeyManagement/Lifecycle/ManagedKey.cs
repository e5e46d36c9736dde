using System;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>One decrypted store entry: the key and the times its creator set. Immutable, like the entry.</summary>
internal sealed class ManagedKey
{
    public ManagedKey(long generation, TokenSigningKey key, DateTimeOffset created, DateTimeOffset activates, DateTimeOffset expires)
    {
        Generation = generation;
        Key = key;
        Created = created;
        Activates = activates;
        Expires = expires;
    }

    public long Generation { get; }

    public TokenSigningKey Key { get; }

    /// <summary>Gets when the key was created and published.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>Gets when the key starts to sign.</summary>
    public DateTimeOffset Activates { get; }

    /// <summary>Gets the latest moment the key may sign (exclusive); a successor normally takes over exactly then.</summary>
    public DateTimeOffset Expires { get; }
}
