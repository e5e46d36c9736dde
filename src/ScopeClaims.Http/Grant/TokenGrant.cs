using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// What one grant type puts into the token request and into the cache key. Everything else a grant needs (client
/// authentication, the cache, single flight, the distributed cache, the 401 retry, typed errors, logging and
/// redaction) is the JWT-bearer grant's machinery, shared: a grant's options are turned into
/// <see cref="JwtBearerGrantOptions"/> carrying the grant in <see cref="JwtBearerGrantOptions.Grant"/>.
/// </summary>
internal abstract class TokenGrant
{
    private static readonly IReadOnlySet<string> s_own = new HashSet<string>(StringComparer.Ordinal) { "resource", "audience" };

    protected TokenGrant(TokenGrantOptions options)
    {
        Options = options;
    }

    /// <summary>Gets the grant's options as the user configured them.</summary>
    public TokenGrantOptions Options { get; }

    /// <summary>Gets the grant's name in cache keys, for example <c>client-credentials</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Gets the <c>grant_type</c> value.</summary>
    public abstract string GrantType { get; }

    /// <summary>Gets the form parameters this grant sets itself, beyond <see cref="TokenEndpointClient.ReservedParameters"/>.</summary>
    public virtual IReadOnlySet<string> OwnParameters => s_own;

    /// <summary>Returns <c>grant_type</c> and the grant's own parameters; the shared client adds <c>scope</c>, client authentication and extra parameters.</summary>
    public List<KeyValuePair<string, string>> Parameters()
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", GrantType) };
        AddParameters(form);
        if (Options.Resource is { } resource)
        {
            form.Add(new("resource", resource.AbsoluteUri));
        }

        if (Options.Audience is { } audience)
        {
            form.Add(new("audience", audience));
        }

        return form;
    }

    /// <summary>Writes the grant's options into the shared options the handler machinery reads.</summary>
    public void ApplyTo(JwtBearerGrantOptions target)
    {
        target.Grant = this;
        target.TokenEndpoint = Options.TokenEndpoint;
        target.Authority = Options.Authority;
        target.ClientId = Options.ClientId;
        target.Scopes = Options.Scopes;
        target.SendScopeParameter = true;
        target.ClientAuthentication = Options.ClientAuthentication;
        target.ClientSecret = Options.ClientSecret;
        target.ProfileName = Options.ClientAssertion.ProfileName ?? Microsoft.Extensions.Options.Options.DefaultName;
        target.ClientAssertion.ProfileName = Options.ClientAssertion.ProfileName;
        target.ClientAssertion.Audience = Options.ClientAssertion.Audience;
        target.ClientAssertion.Lifetime = Options.ClientAssertion.Lifetime;
        target.Parameters.Clear();
        foreach (var parameter in Options.Parameters)
        {
            target.Parameters.Add(parameter);
        }

        target.RefreshBeforeExpiry = Options.RefreshBeforeExpiry;
        target.DefaultTokenLifetime = Options.DefaultTokenLifetime;
        target.TokenRequestTimeout = Options.TokenRequestTimeout;
        target.RetryOnUnauthorized = Options.RetryOnUnauthorized;
        target.TokenClientName = Options.TokenClientName;
    }

    /// <summary>Bounds the token's expiry by what the grant knows (the token exchange: its subject token's own expiry).</summary>
    public virtual PartnerToken Limit(PartnerToken token) => token;

    /// <summary>
    /// What is wrong with a successful token response by the grant's own rules (the token exchange: the
    /// <c>issued_token_type</c>), or <see langword="null"/>; checked after the rules every grant shares.
    /// </summary>
    public virtual string? CheckResponse(JsonElement response) => null;

    /// <summary>
    /// The cache key: a hash of the grant, the token endpoint, the client id, the scopes (sorted: order carries no
    /// meaning), the grant's own parameters and the extra parameters, so two clients share a token exactly when the
    /// server would issue them the same one.
    /// </summary>
    public string CacheKey(JwtBearerGrantOptions options, string clientId)
    {
        var sorted = string.Join(' ', options.Scopes.Order(StringComparer.Ordinal));
        var parameters = KeyParameters().Concat(options.Parameters).Select(static p => p.Key + "=" + p.Value).Order(StringComparer.Ordinal);
        var material = string.Join('\n', new[] { Kind + "/v1", options.TokenEndpoint!.AbsoluteUri, clientId, sorted }.Concat(parameters));
        return $"scopeclaims:{Kind}:" + Hash(material);
    }

    /// <summary>The SHA-256 of <paramref name="text"/>'s UTF-8, base64url-encoded.</summary>
    public static string Hash(string text) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Adds the grant's own parameters after <c>grant_type</c>.</summary>
    protected virtual void AddParameters(List<KeyValuePair<string, string>> form)
    {
    }

    /// <summary>The parameters that go into the cache key: <see cref="Parameters"/>, with any secret replaced by its hash.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> KeyParameters() => Parameters();
}
