namespace ScopeClaims.Testing.Partner;

/// <summary>How a <see cref="FakePartner"/> requires the client to authenticate at its token endpoint.</summary>
public enum FakePartnerClientAuthentication
{
    /// <summary>No client authentication: the JWT-bearer assertion alone identifies the client (RFC 7523 §2.1).</summary>
    None,

    /// <summary><c>Authorization: Basic</c> with the client id and secret, form-encoded (RFC 6749 §2.3.1).</summary>
    ClientSecretBasic,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body (RFC 6749 §2.3.1).</summary>
    ClientSecretPost,

    /// <summary>
    /// A signed client assertion (<c>client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer</c>,
    /// RFC 7523 §2.2 and §3; OpenID Connect's <c>private_key_jwt</c>), verified against the client's JWKS.
    /// </summary>
    PrivateKeyJwt,
}
