using System;
using System.Globalization;

namespace ScopeClaims.Cli.Internal;

/// <summary>Parses lifetimes written as <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c> or a <see cref="TimeSpan"/> such as <c>00:05:00</c>.</summary>
internal static class Duration
{
    public const string Forms = "a number with a unit (30s, 5m, 1h, 1d) or hh:mm:ss (00:05:00)";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = text[^1];
        var number = text.AsSpan(0, text.Length - 1);
        if (char.IsAsciiLetter(unit))
        {
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 100_000_000)
            {
                return false;
            }

            TimeSpan? parsed = char.ToLowerInvariant(unit) switch
            {
                's' => TimeSpan.FromSeconds(count),
                'm' => TimeSpan.FromMinutes(count),
                'h' => TimeSpan.FromHours(count),
                'd' => TimeSpan.FromDays(count),
                _ => null,
            };
            value = parsed.GetValueOrDefault();
            return parsed is not null;
        }

        // Note: a bare number would parse as days ("300" is 300 days), so the TimeSpan form needs a colon.
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
