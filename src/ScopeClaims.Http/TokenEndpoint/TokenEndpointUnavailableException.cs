using System;
using System.Globalization;

namespace ScopeClaims.Http;

/// <summary>
/// The partner's token endpoint did not answer: the request timed out (<see cref="IsTimeout"/>), or the connection
/// failed (refused, reset, DNS, TLS). The inner exception has the network detail.
/// </summary>
public sealed class TokenEndpointUnavailableException : JwtBearerGrantException
{
    /// <summary>Initializes a new instance of the <see cref="TokenEndpointUnavailableException"/> class.</summary>
    public TokenEndpointUnavailableException()
        : base("The token endpoint did not answer.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenEndpointUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TokenEndpointUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenEndpointUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TokenEndpointUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenEndpointUnavailableException"/> class.</summary>
    /// <param name="tokenEndpoint">The token endpoint.</param>
    /// <param name="timeout">The timeout that expired, or <see langword="null"/> for a network failure.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TokenEndpointUnavailableException(Uri? tokenEndpoint, TimeSpan? timeout, Exception? innerException)
        : base(Describe(tokenEndpoint, timeout, innerException), tokenEndpoint, innerException)
    {
        IsTimeout = timeout is not null;
    }

    /// <summary>Gets a value indicating whether the request timed out, rather than failing on the network.</summary>
    public bool IsTimeout { get; }

    private static string Describe(Uri? tokenEndpoint, TimeSpan? timeout, Exception? innerException) => timeout is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"The token endpoint {tokenEndpoint} did not answer within {t.TotalSeconds:0.###} s (JwtBearerGrantOptions.TokenRequestTimeout, or the token client's HttpClient.Timeout).")
        : $"The token endpoint {tokenEndpoint} could not be reached: {innerException?.Message} Check the URL and the network path to the partner.";
}
