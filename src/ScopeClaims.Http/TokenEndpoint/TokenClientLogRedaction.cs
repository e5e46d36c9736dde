using System;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Redacts every header value in <c>IHttpClientFactory</c>'s logs of the <c>HttpClient</c> that posts one grant's token
/// requests (<see cref="JwtBearerGrantOptions.TokenClientName"/>, whatever its name), whatever the host configured.
/// </summary>
/// <remarks>
/// Its request headers carry the Basic client credentials, and a token endpoint can echo anything it received in its
/// response headers; <c>ShouldRedactHeaderValue</c> applies to both, so on this client it redacts all of them.
/// </remarks>
internal sealed class TokenClientLogRedaction : IPostConfigureOptions<HttpClientFactoryOptions>
{
    private readonly string _grantName;
    private readonly IOptionsMonitor<JwtBearerGrantOptions> _options;

    public TokenClientLogRedaction(string grantName, IOptionsMonitor<JwtBearerGrantOptions> options)
    {
        _grantName = grantName;
        _options = options;
    }

    public void PostConfigure(string? name, HttpClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is not null && TokenClientRedirectFilter.IsTokenClientOf(_options, _grantName, name))
        {
            options.ShouldRedactHeaderValue = static _ => true;
        }
    }
}
