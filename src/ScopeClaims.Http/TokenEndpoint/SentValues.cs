using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;

namespace ScopeClaims.Http.Internal;

/// <summary>
/// What one token request sent (every form value, the client secret, the assertion, the Basic credentials), so that
/// text from the token endpoint never carries any of it back into an exception or a log.
/// </summary>
/// <remarks>
/// Every sent value is redacted where it occurs whole, in any letter case, raw or form-encoded. The client secret, the
/// assertion and the Basic credentials are also redacted wherever any run of a quarter of their length (at least 4,
/// at most 8 characters; all of it when shorter than 4) occurs, so that an endpoint echoing part of them leaks no
/// usable part. Over-redaction is accepted: the text is a diagnostic, the secret is not.
/// </remarks>
internal sealed class SentValues
{
    public const string Marker = "[redacted]";

    /// <summary>Where a token request carries its <see cref="SentValues"/>, for <see cref="TokenRequestRedactionHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<SentValues> Key = new("ScopeClaims.Http.SentValues");

    // Note: sets, since most values and their encodings are the same string (an assertion is form-safe as it is).
    private readonly HashSet<string> _whole = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _secrets = new(StringComparer.OrdinalIgnoreCase);

    public SentValues(IEnumerable<KeyValuePair<string, string>> form, string? clientSecret, string assertion, string? basicCredentials, string? clientAssertion = null)
    {
        foreach (var (name, value) in form)
        {
            if (name is "subject_token" or "actor_token")
            {
                AddSecret(value);
            }
            else
            {
                AddWhole(value);
            }
        }

        AddSecret(clientSecret);
        AddSecret(assertion);
        AddSecret(basicCredentials);
        AddSecret(clientAssertion);
    }

    /// <summary>Returns <paramref name="text"/> with every run that was sent replaced by <see cref="Marker"/>.</summary>
    public string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var mask = new bool[text.Length];
        var any = false;
        foreach (var value in _whole)
        {
            for (var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                mask.AsSpan(at, value.Length).Fill(true);
                any = true;
            }
        }

        foreach (var secret in _secrets)
        {
            var run = RunLength(secret);
            for (var i = 0; i + run <= text.Length; i++)
            {
                if (secret.AsSpan().IndexOf(text.AsSpan(i, run), StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    mask.AsSpan(i, run).Fill(true);
                    any = true;
                }
            }
        }

        if (!any)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!mask[i])
            {
                result.Append(text[i]);
            }
            else if (i == 0 || !mask[i - 1])
            {
                result.Append(Marker);
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The failure as it is, unless a message in its chain carries something that was sent: .NET quotes what the
    /// server answered (an invalid status or header line), and an endpoint can echo the request there. Such a chain is
    /// rebuilt with redacted messages; an <see cref="HttpRequestException"/> keeps its type, error and status.
    /// </summary>
    public Exception Redact(Exception exception)
    {
        if (!Carries(exception))
        {
            return exception;
        }

        var cause = exception.InnerException is { } next ? Redact(next) : null;
        var message = Redact(exception.Message);
        return exception is HttpRequestException http ? new HttpRequestException(http.HttpRequestError, message, cause, http.StatusCode) : new IOException(message, cause);
    }

    internal static int RunLength(string secret) => secret.Length < 4 ? secret.Length : Math.Clamp(secret.Length / 4, 4, 8);

    private bool Carries(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (!string.Equals(Redact(exception.Message), exception.Message, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void AddWhole(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        _whole.Add(value);
        _whole.Add(FormEncode(value));
        _whole.Add(WebUtility.UrlEncode(value));
    }

    private void AddSecret(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        AddWhole(value);
        _secrets.Add(value);
        _secrets.Add(FormEncode(value));
        _secrets.Add(WebUtility.UrlEncode(value));
    }

    // Note: as FormUrlEncodedContent writes a value.
    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
