using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.Internal;

/// <summary>
/// Fails every response that is a redirect, and every response that a user-supplied inner handler reached by following
/// one, so that no metadata or key request is answered from an address that was not asked.
/// </summary>
internal sealed class NoRedirectHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requested = request.RequestUri;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var code = response.StatusCode;
        var redirected = response.RequestMessage?.RequestUri is { } answered && requested is not null && answered != requested;
        if ((int)code is >= 300 and < 400 || redirected)
        {
            response.Dispose();
            throw new HttpRequestException(redirected
                ? "The response came from another address than the one asked (a redirect was followed); metadata and key requests never follow redirects."
                : $"The server answered {(int)code} ({code}); metadata and key requests never follow redirects.", null, code);
        }

        return response;
    }
}
