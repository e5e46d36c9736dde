using System;
using System.Collections.Generic;

namespace ScopeClaims.Http.Internal;

/// <summary>Checks a client's client-credentials options: RFC 6749 §4.4 requires client authentication; the rest is shared.</summary>
internal sealed class ClientCredentialsGrantOptionsValidator : TokenGrantOptionsValidator<ClientCredentialsGrantOptions>
{
    public ClientCredentialsGrantOptionsValidator(IServiceProvider services)
        : base(services)
    {
    }

    protected override string OptionsName => nameof(ClientCredentialsGrantOptions);

    protected override TokenGrant CreateGrant(ClientCredentialsGrantOptions options) => new ClientCredentialsGrant(options);

    protected override void CheckGrant(List<string> failures, ClientCredentialsGrantOptions options, string prefix, string client)
    {
        if (options.ClientAuthentication == ClientAuthenticationMethod.None)
        {
            failures.Add($"{prefix}ClientAuthentication cannot be None ({client}): the client-credentials grant requires client authentication (RFC 6749 §4.4.2); use ClientSecretBasic, ClientSecretPost or PrivateKeyJwt.");
        }
    }
}
