using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
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
    /// <summary>Gets the grant's name in cache keys, for example <c>client-credentials</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Gets the form parameters this grant sets itself, beyond <see cref="TokenEndpointClient.ReservedParameters"/>.</summary>
    public abstract IReadOnlySet<string> OwnParameters { get; }

    /// <summary>Returns <c>grant_type</c> and the grant's own parameters; the shared client adds <c>scope</c>, client authentication and extra parameters.</summary>
    public abstract List<KeyValuePair<string, string>> Parameters();

    /// <summary>
    /// The cache key: a hash of the grant, the token endpoint, the client id, the scopes (sorted: order carries no
    /// meaning), the grant's own parameters and the extra parameters, so two clients share a token exactly when the
    /// server would issue them the same one.
    /// </summary>
    public string CacheKey(JwtBearerGrantOptions options, string clientId)
    {
        var sorted = string.Join(' ', options.Scopes.Order(StringComparer.Ordinal));
        var parameters = Parameters().Concat(options.Parameters).Select(static p => p.Key + "=" + p.Value).Order(StringComparer.Ordinal);
        var material = string.Join('\n', new[] { Kind + "/v1", options.TokenEndpoint!.AbsoluteUri, clientId, sorted }.Concat(parameters));
        return $"scopeclaims:{Kind}:" + Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
