using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ScopeClaims.Internal;

/// <summary>
/// Reads typed configuration values by hand (no reflection binder), recording values that do not parse. Compiled into
/// each package that binds options (linked source, so no package exposes it).
/// </summary>
internal static class ConfigurationValues
{
    public delegate bool TryParse<T>(string value, out T result);

    public static void String(IConfiguration configuration, string key, Action<string> set)
    {
        if (configuration[key] is { } value)
        {
            set(value);
        }
    }

    public static void List(IConfiguration configuration, string key, Action<string> add)
    {
        foreach (var child in configuration.GetSection(key).GetChildren())
        {
            if (child.Value is { } value)
            {
                add(value);
            }
        }
    }

    public static void Parsed<T>(IConfiguration configuration, string key, TryParse<T> parse, Action<T> set, List<string> errors, string expected)
    {
        if (configuration[key] is not { } value)
        {
            return;
        }

        if (parse(value, out var parsed))
        {
            set(parsed);
        }
        else
        {
            var path = configuration is IConfigurationSection section ? $"{section.Path}:{key}" : key;
            errors.Add($"Configuration value '{path}' is not {expected}.");
        }
    }

    public static void Int(IConfiguration configuration, string key, Action<int> set, List<string> errors) =>
        Parsed<int>(configuration, key, static (string s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), set, errors, "an integer");

    public static void Bool(IConfiguration configuration, string key, Action<bool> set, List<string> errors) =>
        Parsed<bool>(configuration, key, bool.TryParse, set, errors, "true or false");

    public static void TimeSpan(IConfiguration configuration, string key, Action<TimeSpan> set, List<string> errors) =>
        Parsed<TimeSpan>(configuration, key, static (string s, out TimeSpan v) => System.TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out v), set, errors, "a time span such as 00:05:00");

    // Note: http or https only; on Unix, Uri also takes "/path" as an absolute file: URI.
    public static void AbsoluteUri(IConfiguration configuration, string key, Action<Uri> set, List<string> errors) =>
        Parsed<Uri>(configuration, key, static (string s, out Uri v) => Uri.TryCreate(s, UriKind.Absolute, out v!) && (v.Scheme == Uri.UriSchemeHttps || v.Scheme == Uri.UriSchemeHttp), set, errors, "an absolute http or https URL");
}
