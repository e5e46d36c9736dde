using System;
using System.Globalization;
using System.Text.Json;

namespace ScopeClaims.Testing.Internal;

/// <summary>
/// A NumericDate claim (RFC 7519 §2: a JSON number of seconds since 1970-01-01T00:00:00Z, possibly fractional) read
/// exactly, as a <see cref="decimal"/>: no rounding to milliseconds or whole seconds, so no check rounds in a token's favour.
/// </summary>
internal readonly struct NumericDate
{
    // DateTimeOffset's range, in Unix seconds.
    private const decimal MinSeconds = -62_135_596_800m;
    private const decimal MaxSeconds = 253_402_300_799m;

    // Note: decimal holds 28 significant digits exactly; a number with more could be rounded while parsing.
    private const int MaxDigits = 28;

    private NumericDate(string name, decimal? seconds, string? json, string? problem)
    {
        Name = name;
        Seconds = seconds;
        Json = json;
        Problem = problem;
    }

    public string Name { get; }

    /// <summary>Gets the exact value, or <see langword="null"/> when absent or invalid.</summary>
    public decimal? Seconds { get; }

    /// <summary>Gets the claim's JSON text, shortened; <see langword="null"/> when absent.</summary>
    public string? Json { get; }

    /// <summary>Gets why the claim is not a NumericDate, or <see langword="null"/>.</summary>
    public string? Problem { get; }

    public bool IsAbsent => Json is null;

    /// <summary>Gets the value as a <see cref="DateTimeOffset"/>, truncated to its 100 ns ticks (for display and the public properties).</summary>
    public DateTimeOffset? Time => Seconds is { } s ? DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Floor(s * TimeSpan.TicksPerSecond)) : null;

    public static NumericDate Read(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return new NumericDate(name, null, null, null);
        }

        var json = JsonText.Shorten(value.GetRawText());
        if (value.ValueKind != JsonValueKind.Number)
        {
            return new NumericDate(name, null, json, $"'{name}' is {json}, not a NumericDate (a JSON number of seconds, RFC 7519 §2)");
        }

        if (SignificantDigits(value.GetRawText()) > MaxDigits || !value.TryGetDecimal(out var seconds))
        {
            return new NumericDate(name, null, json, $"'{name}' is {json}, a number with more digits than can be compared exactly (at most {MaxDigits} significant digits)");
        }

        if (seconds < MinSeconds || seconds > MaxSeconds)
        {
            return new NumericDate(name, null, json, $"'{name}' is {json}, outside the years 0001 to 9999");
        }

        return new NumericDate(name, seconds, json, null);
    }

    /// <summary>Seconds since the epoch of an instant, exactly (to its 100 ns tick).</summary>
    public static decimal SecondsOf(DateTimeOffset time) => (decimal)(time.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;

    /// <summary>Writes seconds as a plain decimal number with the digits it has, e.g. <c>1893456000.5</c>.</summary>
    public static string Format(decimal seconds) => seconds.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>Writes seconds as a number and, where it is in range, as a UTC time: <c>1893456000.5 (2030-01-01T00:00:00.5Z)</c>.</summary>
    public static string Describe(decimal seconds)
    {
        var ticks = decimal.Floor(seconds * TimeSpan.TicksPerSecond) + DateTimeOffset.UnixEpoch.Ticks;
        return ticks < DateTimeOffset.MinValue.Ticks || ticks > DateTimeOffset.MaxValue.Ticks
            ? Format(seconds)
            : $"{Format(seconds)} ({Failure.Time(new DateTimeOffset((long)ticks, TimeSpan.Zero))})";
    }

    public override string ToString() => Seconds is { } s ? Describe(s) : Json ?? "(none)";

    // The digits of the mantissa of a JSON number (RFC 8259 §6), without leading and trailing zeros.
    private static int SignificantDigits(string number)
    {
        var mantissa = number.AsSpan();
        var exponent = mantissa.IndexOfAny('e', 'E');
        if (exponent >= 0)
        {
            mantissa = mantissa[..exponent];
        }

        // Note: counted in place (a hostile number may be long): from the first non-zero digit to the last one.
        var seen = 0;
        var first = -1;
        var last = -1;
        foreach (var c in mantissa)
        {
            if (char.IsAsciiDigit(c))
            {
                if (c != '0')
                {
                    first = first < 0 ? seen : first;
                    last = seen;
                }

                seen++;
            }
        }

        return first < 0 ? 0 : last - first + 1;
    }
}
