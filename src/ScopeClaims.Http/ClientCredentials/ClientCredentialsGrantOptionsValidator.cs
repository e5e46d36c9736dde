using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Checks a client's client-credentials options, every problem at once, each naming its option: the grant's own rules
/// here, the rules shared with the JWT-bearer grant (endpoint, client authentication, timings, parameters, token
/// client) by <see cref="JwtBearerGrantOptionsValidator"/> on the options the machinery will run with.
/// </summary>
internal sealed class ClientCredentialsGrantOptionsValidator : IValidateOptions<ClientCredentialsGrantOptions>
{
    private const string Prefix = "ClientCredentialsGrantOptions.";

    private readonly JwtBearerGrantOptionsValidator _shared;

    public ClientCredentialsGrantOptionsValidator(IServiceProvider services)
    {
        _shared = new JwtBearerGrantOptionsValidator(services);
    }

    public ValidateOptionsResult Validate(string? name, ClientCredentialsGrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingErrors);
        var client = $"HttpClient '{name}'";
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{Prefix}ClientId is required ({client}): the client-credentials grant authenticates the client (RFC 6749 §4.4).");
        }

        if (options.ClientAuthentication == ClientAuthenticationMethod.None)
        {
            failures.Add($"{Prefix}ClientAuthentication cannot be None ({client}): the client-credentials grant requires client authentication (RFC 6749 §4.4.2); use ClientSecretBasic, ClientSecretPost or PrivateKeyJwt.");
        }

        if (options.Resource is { } resource && (!resource.IsAbsoluteUri || !string.IsNullOrEmpty(resource.Fragment)))
        {
            failures.Add($"{Prefix}Resource must be an absolute URI without a fragment ({client}, RFC 8707 §2).");
        }

        if (options.Audience is not null && string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{Prefix}Audience is empty ({client}); leave it null to send no audience parameter.");
        }

        if (options.Scopes is null)
        {
            failures.Add($"{Prefix}Scopes cannot be null ({client}); use ScopeSet.Empty for no scopes.");
        }
        else
        {
            var shared = new JwtBearerGrantOptions();
            ClientCredentialsGrant.Apply(options, shared);
            if (options.ClientAuthentication == ClientAuthenticationMethod.None)
            {
                shared.ClientSecret = null; // reported above; the shared rule would only add a second message
            }

            var result = _shared.Validate(name, shared);
            if (result.Failed)
            {
                failures.AddRange(result.Failures.Select(static f => f.Replace("JwtBearerGrantOptions.", Prefix, StringComparison.Ordinal)));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
