using System.Collections;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Tests.Keys;

/// <summary>
/// Asserts that no secret (a JWK private member, a PEM body, a password, a file's content) appears anywhere an
/// exception can carry it: the message, <see cref="Exception.ToString"/>, <see cref="Exception.Data"/>, and every
/// inner exception at any depth, <see cref="AggregateException.InnerExceptions"/> included.
/// </summary>
/// <remarks>
/// A secret counts as leaked when any 16-character window of it appears, as written or in the other encodings an
/// exception might use for bytes (base64url, base64, hex), so a truncated or re-encoded copy is caught too.
/// </remarks>
internal static class SecretLeak
{
    private const int Window = 16;

    /// <summary>Every text an exception chain exposes.</summary>
    public static IEnumerable<string> Texts(Exception exception) => Texts(exception, withStackTraces: true);

    /// <summary>
    /// Asserts that no secret appears in what an exception chain says (messages, <see cref="Exception.Data"/>, option
    /// failures), leaving out stack traces: for secrets drawn from the process itself, such as its environment, whose
    /// values (the working directory) can legitimately appear in the source paths of a stack trace.
    /// </summary>
    public static void AssertAbsentFromMessages(Exception exception, IEnumerable<string> secrets) =>
        AssertAbsent(Texts(exception, withStackTraces: false).ToList(), secrets);

    private static IEnumerable<string> Texts(Exception exception, bool withStackTraces)
    {
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            yield return current.GetType().FullName!;
            yield return current.Message;
            if (withStackTraces)
            {
                yield return current.ToString();
            }

            foreach (DictionaryEntry entry in current.Data)
            {
                yield return entry.Key?.ToString() ?? string.Empty;
                yield return entry.Value?.ToString() ?? string.Empty;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }

            if (current is Microsoft.Extensions.Options.OptionsValidationException options)
            {
                foreach (var failure in options.Failures)
                {
                    yield return failure;
                }
            }

            if (current.InnerException is { } innerException)
            {
                pending.Push(innerException);
            }
        }
    }

    public static void AssertAbsent(Exception exception, IEnumerable<string> secrets) =>
        AssertAbsent(Texts(exception).ToList(), secrets);

    private static void AssertAbsent(List<string> texts, IEnumerable<string> secrets)
    {
        foreach (var window in Windows(secrets))
        {
            foreach (var text in texts)
            {
                Assert.False(text.Contains(window, StringComparison.Ordinal), $"The exception chain quotes secret material '{window}':\n{text}");
            }
        }
    }

    public static void AssertAbsent(string text, IEnumerable<string> secrets)
    {
        foreach (var window in Windows(secrets))
        {
            Assert.False(text.Contains(window, StringComparison.Ordinal), $"The output quotes secret material '{window}':\n{text}");
        }
    }

    /// <summary>The windows to look for: each secret as given and, when it is base64url, its bytes as base64 and hex.</summary>
    public static IEnumerable<string> Windows(IEnumerable<string> secrets)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets.Where(static s => !string.IsNullOrEmpty(s)))
        {
            forms.Add(secret);
            if (TryDecodeBase64Url(secret, out var bytes))
            {
                forms.Add(Convert.ToBase64String(bytes));
                forms.Add(Convert.ToHexString(bytes));
                forms.Add(Convert.ToHexString(bytes).ToLowerInvariant());
            }
        }

        var windows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var form in forms)
        {
            if (form.Length <= Window)
            {
                windows.Add(form);
                continue;
            }

            for (var i = 0; i + Window <= form.Length; i++)
            {
                windows.Add(form.Substring(i, Window));
            }
        }

        return windows;
    }

    /// <summary>The lines of a PEM body (the base64 between the BEGIN and END lines).</summary>
    public static IEnumerable<string> PemBody(string pem) =>
        pem.Split('\n').Select(static l => l.Trim()).Where(static l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal));

    /// <summary>The secret members of a JWK JSON text, as written.</summary>
    public static IEnumerable<string> JwkSecrets(string json)
    {
        var jwk = new JsonWebKey(json);
        return new[] { jwk.D, jwk.P, jwk.Q, jwk.DP, jwk.DQ, jwk.QI, jwk.K }.Where(static s => !string.IsNullOrEmpty(s))!;
    }

    private static bool TryDecodeBase64Url(string value, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        if (value.Length < 8 || value.Any(static c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(value);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
