using System;

namespace ScopeClaims;

/// <summary>A key and the time window in which it signs, for a <see cref="SigningKeySet"/> with a signing schedule (see <see cref="SigningKeySet.Replace"/>).</summary>
public sealed class SigningWindow
{
    /// <summary>Initializes a new instance of the <see cref="SigningWindow"/> class.</summary>
    /// <param name="key">The key that signs in the window.</param>
    /// <param name="notBefore">The first moment it signs.</param>
    /// <param name="notAfter">The moment it stops signing (exclusive).</param>
    public SigningWindow(TokenSigningKey key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    /// <summary>Gets the key that signs in the window.</summary>
    public TokenSigningKey Key { get; }

    /// <summary>Gets the first moment the key signs.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>Gets the moment the key stops signing (exclusive).</summary>
    public DateTimeOffset NotAfter { get; }
}
