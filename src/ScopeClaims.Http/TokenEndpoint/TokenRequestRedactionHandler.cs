using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Wraps the token client's primary handler, so that it sits below every other handler, <c>IHttpClientFactory</c>'s
/// loggers included: a failure of a token request whose messages quote something the request sent (.NET quotes an
/// invalid status or header line, which an endpoint can make echo the request) leaves it redacted, before any logger
/// or caller sees it.
/// </summary>
/// <remarks>Requests without <see cref="SentValues.Key"/> (not token requests of this package) pass through untouched.</remarks>
internal sealed class TokenRequestRedactionHandler : DelegatingHandler
{
    public TokenRequestRedactionHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (Exception ex) when (Redacted(request, ex) is { } redacted)
        {
            throw redacted;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Redacted(request, ex) is { } redacted)
        {
            throw redacted;
        }
    }

    private static Exception? Redacted(HttpRequestMessage request, Exception exception) =>
        request.Options.TryGetValue(SentValues.Key, out var sent) && sent.Redact(exception) is var redacted && !ReferenceEquals(redacted, exception) ? redacted : null;
}
