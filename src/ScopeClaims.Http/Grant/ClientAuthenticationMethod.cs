namespace ScopeClaims.Http;

/// <summary>
/// How the client authenticates to the partner's token endpoint besides the assertion, named after the RFC 7591
/// <c>token_endpoint_auth_method</c> values.
/// </summary>
/// <remarks>RFC 7523 §2.1: client authentication is optional with the JWT-bearer grant; the assertion itself identifies the client.</remarks>
public enum ClientAuthenticationMethod
{
    /// <summary>No client authentication: the form carries the grant type, the assertion and the scope only.</summary>
    None = 0,

    /// <summary>HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1).</summary>
    ClientSecretBasic = 1,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body (RFC 6749 §2.3.1).</summary>
    ClientSecretPost = 2,

    /// <summary>
    /// A JWT signed with the client's private key (RFC 7523 §2.2, <c>private_key_jwt</c>): <c>client_assertion_type</c>
    /// and a fresh <c>client_assertion</c> in the form body on every token request; see <see cref="ClientAssertionOptions"/>.
    /// </summary>
    PrivateKeyJwt = 3,
}
