namespace ScopeClaims.Http.Internal;

/// <summary>The client-credentials grant's part of a token request (RFC 6749 §4.4.2): <c>grant_type=client_credentials</c>, with <c>resource</c> and <c>audience</c> when set.</summary>
internal sealed class ClientCredentialsGrant : TokenGrant
{
    public ClientCredentialsGrant(ClientCredentialsGrantOptions options)
        : base(options)
    {
    }

    public override string Kind => "client-credentials";

    public override string GrantType => "client_credentials";
}
