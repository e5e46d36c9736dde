using System;
using System.Globalization;

namespace ScopeClaims.Testing.Partner;

/// <summary>
/// One way a token request fails, queued with <see cref="FakePartner.FailNextTokenRequests"/>: what a client must
/// survive from a real token endpoint.
/// </summary>
public sealed class FakePartnerFailure
{
    private FakePartnerFailure(string description, int statusCode, string? contentType, string? body, TimeSpan delay, Uri? location)
    {
        Description = description;
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Delay = delay;
        Location = location;
    }

    /// <summary>Gets what the failure is, for test output.</summary>
    public string Description { get; }

    /// <summary>Gets the status answered; 0 for <see cref="Slow"/>, which answers normally after its delay.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the Content-Type answered, if any.</summary>
    public string? ContentType { get; }

    /// <summary>Gets the body answered, if any.</summary>
    public string? Body { get; }

    /// <summary>Gets how long the partner waits before answering.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets the redirect target, for <see cref="Redirect"/>.</summary>
    public Uri? Location { get; }

    /// <summary>An RFC 6749 §5.2 error response: <c>{"error": ..., "error_description": ...}</c>.</summary>
    /// <param name="error">The error code, e.g. <c>invalid_grant</c>.</param>
    /// <param name="description">The description, or <see langword="null"/> for none.</param>
    /// <param name="statusCode">The status, 400 by default (401 for <c>invalid_client</c> is usual).</param>
    /// <returns>The failure.</returns>
    public static FakePartnerFailure Error(string error, string? description = null, int statusCode = 400)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        CheckStatus(statusCode, 400, 599);
        var body = description is null
            ? FakePartnerJson.Object(("error", error))
            : FakePartnerJson.Object(("error", error), ("error_description", description));
        return new($"the error {error} with status {statusCode.ToString(CultureInfo.InvariantCulture)}", statusCode, "application/json", body, TimeSpan.Zero, null);
    }

    /// <summary>A server error: the status with a plain-text body, as a failing gateway or framework answers.</summary>
    /// <param name="statusCode">The status, 500 by default; from 500 to 599.</param>
    /// <returns>The failure.</returns>
    public static FakePartnerFailure ServerError(int statusCode = 500)
    {
        CheckStatus(statusCode, 500, 599);
        return new($"a server error {statusCode.ToString(CultureInfo.InvariantCulture)}", statusCode, "text/plain; charset=utf-8", "Internal Server Error", TimeSpan.Zero, null);
    }

    /// <summary>A 200 answer that is not a token response: an HTML page, as a login page or a proxy's error page.</summary>
    /// <returns>The failure.</returns>
    public static FakePartnerFailure Garbage() =>
        new("an HTML page with status 200", 200, "text/html; charset=utf-8", "<html><body>Sign in</body></html>", TimeSpan.Zero, null);

    /// <summary>An answer that comes late: the request is then handled normally (and may succeed).</summary>
    /// <param name="delay">How long to wait; from 1 ms to 5 minutes. The wait ends when the client goes away.</param>
    /// <returns>The failure.</returns>
    public static FakePartnerFailure Slow(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero || delay > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must be from 1 ms to 5 minutes.");
        }

        return new($"a delay of {delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms", 0, null, null, delay, null);
    }

    /// <summary>A redirect, which a token client must never follow.</summary>
    /// <param name="location">The <c>Location</c>.</param>
    /// <param name="statusCode">301, 302, 303, 307 or 308; 307 by default.</param>
    /// <returns>The failure.</returns>
    public static FakePartnerFailure Redirect(Uri location, int statusCode = 307)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (statusCode is not (301 or 302 or 303 or 307 or 308))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A redirect is 301, 302, 303, 307 or 308.");
        }

        return new($"a redirect {statusCode.ToString(CultureInfo.InvariantCulture)}", statusCode, null, null, TimeSpan.Zero, location);
    }

    /// <summary>Any answer: a status, a Content-Type (or none) and a body.</summary>
    /// <param name="statusCode">The status, from 200 to 599.</param>
    /// <param name="contentType">The Content-Type, or <see langword="null"/> for none.</param>
    /// <param name="body">The body.</param>
    /// <returns>The failure.</returns>
    public static FakePartnerFailure Response(int statusCode, string? contentType, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        CheckStatus(statusCode, 200, 599);
        return new($"a response with status {statusCode.ToString(CultureInfo.InvariantCulture)}", statusCode, contentType, body, TimeSpan.Zero, null);
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    private static void CheckStatus(int statusCode, int min, int max)
    {
        if (statusCode < min || statusCode > max)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, $"The status must be from {min} to {max}.");
        }
    }
}
