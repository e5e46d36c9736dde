using System;
using System.Globalization;
using System.Text;

namespace ScopeClaims.Testing.Internal;

/// <summary>Builds assertion failures in one layout: what failed, then Expected and Actual, then details.</summary>
internal static class Failure
{
    public static ScopeTokenAssertionException Create(string check, string problem, string expected, string actual, params (string Label, string Value)[] details)
    {
        var message = new StringBuilder()
            .Append(check).Append(" failed: ").Append(problem).Append('\n')
            .Append("Expected: ").Append(expected).Append('\n')
            .Append("Actual:   ").Append(actual);
        foreach (var (label, value) in details)
        {
            message.Append('\n').Append(label).Append(':').Append(' ', Math.Max(1, 9 - label.Length)).Append(value);
        }

        return new ScopeTokenAssertionException(message.ToString());
    }

    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public static string Quoted(string? value) => value is null ? "(none)" : JsonText.String(value);
}
