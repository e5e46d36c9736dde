using System;

namespace ScopeClaims.KeyManagement;

/// <summary>One entry of an <see cref="ISigningKeyStore"/>: a generation number and the encrypted entry, as stored.</summary>
public sealed class StoredSigningKey
{
    /// <summary>Initializes a new instance of the <see cref="StoredSigningKey"/> class.</summary>
    /// <param name="generation">The generation: 1 for the first key, one more for each key after it.</param>
    /// <param name="data">The entry's bytes.</param>
    public StoredSigningKey(long generation, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generation);
        ArgumentNullException.ThrowIfNull(data);
        Generation = generation;
        Data = data;
    }

    /// <summary>Gets the generation.</summary>
    public long Generation { get; }

    /// <summary>Gets the entry's bytes (encrypted; never a plain private key).</summary>
    public byte[] Data { get; }
}
