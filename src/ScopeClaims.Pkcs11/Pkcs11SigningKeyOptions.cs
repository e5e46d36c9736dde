using System;

namespace ScopeClaims.Pkcs11;

/// <summary>
/// Where a PKCS#11 signing key is: the module (the vendor's library), the token, the key and the PIN that opens it, and
/// how the signer uses the module. Set in code or bound from configuration (see
/// <c>AddPkcs11SigningKeys(IConfiguration)</c>); validated when the signer opens, normally on start.
/// </summary>
/// <remarks>
/// Exactly one of <see cref="TokenLabel"/> and <see cref="SlotId"/>, at least one of <see cref="KeyLabel"/> and
/// <see cref="KeyId"/>, and exactly one of <see cref="UserPin"/> and <see cref="UserPinEnvironmentVariable"/>. The PIN
/// is never written to a message, a log or <see cref="object.ToString"/>.
/// </remarks>
public sealed class Pkcs11SigningKeyOptions
{
    /// <summary>Gets or sets the path of the PKCS#11 module, e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>.</summary>
    /// <value>The default is <see langword="null"/> (required).</value>
    public string? LibraryPath { get; set; }

    /// <summary>Gets or sets the label of the token holding the key (<c>CKA_LABEL</c> of the token, as <c>softhsm2-util --init-token --label</c> sets it).</summary>
    /// <value>The default is <see langword="null"/>: set this or <see cref="SlotId"/>.</value>
    public string? TokenLabel { get; set; }

    /// <summary>Gets or sets the slot id of the token; prefer <see cref="TokenLabel"/>, since slot ids may change when tokens are added or removed.</summary>
    /// <value>The default is <see langword="null"/>: set this or <see cref="TokenLabel"/>.</value>
    public ulong? SlotId { get; set; }

    /// <summary>Gets or sets the label (<c>CKA_LABEL</c>) of the private key.</summary>
    /// <value>The default is <see langword="null"/>: set this, <see cref="KeyId"/>, or both (then both must match).</value>
    public string? KeyLabel { get; set; }

    /// <summary>Gets or sets the id (<c>CKA_ID</c>) of the private key, in hexadecimal, e.g. <c>01</c> or <c>a1b2c3</c>.</summary>
    /// <value>The default is <see langword="null"/>: set this, <see cref="KeyLabel"/>, or both (then both must match).</value>
    public string? KeyId { get; set; }

    /// <summary>Gets or sets the JWS algorithm: RS256/384/512 and PS256/384/512 for an RSA key of at least 2,048 bits, ES256/384/512 for a P-256/384/521 key.</summary>
    /// <value>The default is <see langword="null"/> (required).</value>
    public string? Algorithm { get; set; }

    /// <summary>Gets or sets the user PIN. Prefer <see cref="UserPinEnvironmentVariable"/> or a secret store behind configuration; never put a PIN in a file under source control.</summary>
    /// <value>The default is <see langword="null"/>: set this or <see cref="UserPinEnvironmentVariable"/>.</value>
    public string? UserPin { get; set; }

    /// <summary>Gets or sets the name of an environment variable that holds the user PIN, read when the signer opens.</summary>
    /// <value>The default is <see langword="null"/>: set this or <see cref="UserPin"/>.</value>
    public string? UserPinEnvironmentVariable { get; set; }

    /// <summary>Gets or sets the <c>kid</c> the key is published and signs under.</summary>
    /// <value>The default is <see langword="null"/>: the RFC 7638 thumbprint of the public key read from the module.</value>
    public string? JwtKeyId { get; set; }

    /// <summary>Gets or sets the most sessions the signer opens on the token; signatures beyond that wait for a free session.</summary>
    /// <value>The default is 8; 1 to 256.</value>
    public int MaxSessions { get; set; } = 8;

    /// <summary>Gets or sets how long a signature waits for a free session before it fails with <see cref="Pkcs11SignerUnavailableException"/>.</summary>
    /// <value>The default is 5 seconds; more than zero and at most 5 minutes.</value>
    /// <remarks>PKCS#11 has no way to abandon a <c>C_Sign</c> call in progress; this bounds the wait for a session, not the module's own work.</remarks>
    public TimeSpan SignTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how often the signer tries to reach the module again after it has become unavailable; signatures in between fail at once.</summary>
    /// <value>The default is 5 seconds; at least 10 milliseconds and at most 10 minutes.</value>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a value indicating whether a private key that can leave the module (<c>CKA_EXTRACTABLE</c> true, or
    /// <c>CKA_SENSITIVE</c> false) is accepted. Leave it off in production: the point of an HSM is a key that never leaves it.
    /// </summary>
    /// <value>The default is <see langword="false"/>: such a key is refused on start.</value>
    public bool AllowExtractableKey { get; set; }
}
