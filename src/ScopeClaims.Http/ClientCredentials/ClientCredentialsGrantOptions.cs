namespace ScopeClaims.Http;

/// <summary>
/// One server's OAuth 2.0 client-credentials grant (RFC 6749 §4.4): where its token endpoint is, how the client
/// authenticates, what it asks for, how the token is cached. Named options: the name is the <c>HttpClient</c>'s.
/// </summary>
/// <remarks>
/// The grant runs on the same machinery as the JWT-bearer grant (see <see cref="TokenGrantOptions"/>). RFC 6749 §4.4
/// requires client authentication, so <see cref="ClientAuthenticationMethod.None"/> is refused when the host starts.
/// </remarks>
public sealed class ClientCredentialsGrantOptions : TokenGrantOptions
{
}
