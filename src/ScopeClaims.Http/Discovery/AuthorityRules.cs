using System;
using System.Collections.Generic;

namespace ScopeClaims.Http.Internal;

/// <summary>Checks <see cref="JwtBearerGrantOptions.Authority"/>: one of it and the token endpoint, and a URL metadata can safely be read from.</summary>
internal static class AuthorityRules
{
    public static void Check(List<string> failures, JwtBearerGrantOptions options, string client)
    {
        if (options.Authority is not { } authority)
        {
            return;
        }

        if (options.TokenEndpoint is not null)
        {
            failures.Add($"JwtBearerGrantOptions.Authority and TokenEndpoint are both set ({client}); set one: Authority to read the token endpoint from the server's metadata, or TokenEndpoint.");
        }
        else if (!authority.IsAbsoluteUri)
        {
            failures.Add($"JwtBearerGrantOptions.Authority must be an absolute URL ({client}).");
        }
        else if (authority.UserInfo.Length > 0)
        {
            failures.Add($"JwtBearerGrantOptions.Authority must not carry user info ('user:password@') ({client}).");
        }
        else if (authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && AuthorityDiscovery.IsLoopback(authority)))
        {
            failures.Add($"JwtBearerGrantOptions.Authority must use https ({client}); plain http is allowed on a loopback address only.");
        }
        else if (authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            failures.Add($"JwtBearerGrantOptions.Authority cannot have a query or a fragment ({client}, RFC 8414 §2).");
        }
    }
}
