using System;
using System.Globalization;

namespace ScopeClaims.Cli.Internal;

/// <summary>Parses lifetimes written as <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c> or a <see cref="TimeSpan"/> such as <c>00:05:00</c>.</summary>
internal static class Duration
{
    public const string Forms = "a number with a unit (30s, 5m, 1h, 1d) or hh:mm:ss (00:05:00)";

    /// <summary>What <see cref="Parse"/> made of a text.</summary>
    public enum Outcome
    {
        Parsed,
        Malformed,

        /// <summary>Well-formed, but beyond what a <see cref="TimeSpan"/> holds (about 10.7 million days).</summary>
        OutOfRange,
    }

    public static bool TryParse(string? text, out TimeSpan value) => Parse(text, out value) == Outcome.Parsed;

    public static Outcome Parse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Outcome.Malformed;
        }

        text = text.Trim();
        var unit = text[^1];
        var number = text.AsSpan(0, text.Length - 1);
        if (char.IsAsciiLetter(unit))
        {
            long ticksPerUnit = char.ToLowerInvariant(unit) switch
            {
                's' => TimeSpan.TicksPerSecond,
                'm' => TimeSpan.TicksPerMinute,
                'h' => TimeSpan.TicksPerHour,
                'd' => TimeSpan.TicksPerDay,
                _ => 0,
            };
            if (ticksPerUnit == 0 || number.IsEmpty || !IsDigits(number))
            {
                return Outcome.Malformed;
            }

            // Note: the count is checked against the unit before it is multiplied, so no value overflows.
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > TimeSpan.MaxValue.Ticks / ticksPerUnit)
            {
                return Outcome.OutOfRange;
            }

            value = TimeSpan.FromTicks(count * ticksPerUnit);
            return Outcome.Parsed;
        }

        // Note: a bare number would parse as days ("300" is 300 days), so the TimeSpan form needs a colon.
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return Outcome.Malformed;
        }

        try
        {
            value = TimeSpan.Parse(text, CultureInfo.InvariantCulture);
            return Outcome.Parsed;
        }
        catch (OverflowException)
        {
            return Outcome.OutOfRange;
        }
        catch (FormatException)
        {
            return Outcome.Malformed;
        }
    }

    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
