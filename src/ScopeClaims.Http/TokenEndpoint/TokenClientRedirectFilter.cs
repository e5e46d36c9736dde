using System;
using System.Net.Http;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// Switches off automatic redirects on the primary handler of the <c>HttpClient</c> that posts one grant's token
/// requests (<see cref="JwtBearerGrantOptions.TokenClientName"/>), after every configuration action has run, so that a
/// <c>ConfigurePrimaryHttpMessageHandler</c> cannot turn them back on.
/// </summary>
/// <remarks>
/// A handler that follows a 307/308 re-sends the form (assertion, client secret) to the <c>Location</c>, and one that
/// follows a 301/302/303 turns the request into a GET whose answer it hands back as the token response. Handlers this
/// filter cannot see into are caught after the fact by <see cref="TokenEndpointClient"/>, which refuses every 3xx and
/// every response that did not come from the token endpoint itself. The filter also wraps the primary handler in a
/// <see cref="TokenRequestRedactionHandler"/>, the one place below <c>IHttpClientFactory</c>'s loggers.
/// </remarks>
internal sealed class TokenClientRedirectFilter : IHttpMessageHandlerBuilderFilter
{
    private readonly string _grantName;
    private readonly IOptionsMonitor<JwtBearerGrantOptions> _options;

    public TokenClientRedirectFilter(string grantName, IOptionsMonitor<JwtBearerGrantOptions> options)
    {
        _grantName = grantName;
        _options = options;
    }

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (IsTokenClient(builder.Name))
        {
            DisableRedirects(builder.PrimaryHandler, builder.Name);
            builder.PrimaryHandler = new TokenRequestRedactionHandler(builder.PrimaryHandler);
        }
    };

    /// <summary>Walks down a chain of delegating handlers to the platform handler and switches its redirects off.</summary>
    /// <exception cref="InvalidOperationException">The handler follows redirects and has already sent requests, so it can no longer be changed.</exception>
    internal static void DisableRedirects(HttpMessageHandler? handler, string? clientName)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        try
        {
            switch (handler)
            {
                case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler { AllowAutoRedirect: true } platform:
                    platform.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"The primary handler of HttpClient '{clientName}', which posts token requests, follows redirects and has already sent requests, so they cannot be switched off: give the token client a handler of its own (ConfigurePrimaryHttpMessageHandler with a new handler per call).", ex);
        }
    }

    private bool IsTokenClient(string? clientName) => clientName is not null && IsTokenClientOf(_options, _grantName, clientName);

    /// <summary>Whether <paramref name="clientName"/> is the <c>HttpClient</c> that posts the token requests of the grant <paramref name="grantName"/>.</summary>
    internal static bool IsTokenClientOf(IOptionsMonitor<JwtBearerGrantOptions> options, string grantName, string clientName)
    {
        try
        {
            return string.Equals(options.Get(grantName).TokenClientName, clientName, StringComparison.Ordinal);
        }
        catch (OptionsValidationException)
        {
            // Note: a grant with invalid options never sends a token request (its first request throws), so other
            // clients are not made to fail with it.
            return false;
        }
    }
}
