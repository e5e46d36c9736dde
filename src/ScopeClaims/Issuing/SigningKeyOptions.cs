namespace ScopeClaims;

/// <summary>
/// Where a profile's signing key comes from when it is configured rather than set in code (see
/// <see cref="ScopeTokenOptions.SigningKeys"/>). Set exactly one of <see cref="Path"/>, <see cref="Pem"/>,
/// <see cref="Jwk"/> or <see cref="CertificatePath"/>, or set <see cref="Managed"/>.
/// </summary>
public sealed class SigningKeyOptions
{
    /// <summary>Gets or sets a key file: PEM (RSA PKCS#1/PKCS#8, EC SEC1/PKCS#8) or private JWK, told apart by content.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Path { get; set; }

    /// <summary>Gets or sets PEM text holding the private key.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Pem { get; set; }

    /// <summary>Gets or sets private JWK JSON.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Jwk { get; set; }

    /// <summary>Gets or sets a certificate: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, with <see cref="CertificatePassword"/>) or a PEM certificate (with <see cref="CertificateKeyPath"/> when the key is in another file).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CertificatePath { get; set; }

    /// <summary>Gets or sets the PEM private key file that goes with a PEM <see cref="CertificatePath"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CertificateKeyPath { get; set; }

    /// <summary>Gets or sets the password of a PKCS#12 <see cref="CertificatePath"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CertificatePassword { get; set; }

    /// <summary>Gets or sets the JWS algorithm; by default the JWK's <c>alg</c>, else the key's natural one (RS256, ES256/384/512 by curve, HS256).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Algorithm { get; set; }

    /// <summary>Gets or sets the key id; by default the JWK's <c>kid</c>, else the RFC 7638 thumbprint.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? KeyId { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the profile's keys are managed: generated, stored, rotated and published by
    /// the key manager a key-management package registers (<c>AddScopeTokenKeyManagement</c> in ScopeClaims.KeyManagement),
    /// with no key file. When set, no other member of this class may be set.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    /// <remarks>A managed profile with no key manager registered fails on start with an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.</remarks>
    public bool Managed { get; set; }
}
