using System;
using System.Collections.Generic;

namespace ScopeClaims.Http.Internal;

/// <summary>The client-credentials grant's part of a token request (RFC 6749 §4.4.2): <c>grant_type</c>, <c>resource</c> and <c>audience</c>.</summary>
internal sealed class ClientCredentialsGrant : TokenGrant
{
    public const string GrantType = "client_credentials";

    private static readonly IReadOnlySet<string> s_own = new HashSet<string>(StringComparer.Ordinal) { "resource", "audience" };

    private readonly Uri? _resource;
    private readonly string? _audience;

    private ClientCredentialsGrant(Uri? resource, string? audience)
    {
        _resource = resource;
        _audience = audience;
    }

    public override string Kind => "client-credentials";

    public override IReadOnlySet<string> OwnParameters => s_own;

    public override List<KeyValuePair<string, string>> Parameters()
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", GrantType) };
        if (_resource is not null)
        {
            form.Add(new("resource", _resource.AbsoluteUri));
        }

        if (_audience is not null)
        {
            form.Add(new("audience", _audience));
        }

        return form;
    }

    /// <summary>Writes <paramref name="source"/> into the shared options the handler machinery reads.</summary>
    public static void Apply(ClientCredentialsGrantOptions source, JwtBearerGrantOptions target)
    {
        target.Grant = new ClientCredentialsGrant(source.Resource, source.Audience);
        target.TokenEndpoint = source.TokenEndpoint;
        target.ClientId = source.ClientId;
        target.Scopes = source.Scopes;
        target.SendScopeParameter = true;
        target.ClientAuthentication = source.ClientAuthentication;
        target.ClientSecret = source.ClientSecret;
        target.ProfileName = source.ClientAssertion.ProfileName ?? Microsoft.Extensions.Options.Options.DefaultName;
        target.ClientAssertion.ProfileName = source.ClientAssertion.ProfileName;
        target.ClientAssertion.Audience = source.ClientAssertion.Audience;
        target.ClientAssertion.Lifetime = source.ClientAssertion.Lifetime;
        target.Parameters.Clear();
        foreach (var parameter in source.Parameters)
        {
            target.Parameters.Add(parameter);
        }

        target.RefreshBeforeExpiry = source.RefreshBeforeExpiry;
        target.DefaultTokenLifetime = source.DefaultTokenLifetime;
        target.TokenRequestTimeout = source.TokenRequestTimeout;
        target.RetryOnUnauthorized = source.RetryOnUnauthorized;
        target.TokenClientName = source.TokenClientName;
    }
}
