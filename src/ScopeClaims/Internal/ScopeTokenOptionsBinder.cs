using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ScopeClaims.Internal;

/// <summary>
/// Binds <see cref="ScopeTokenOptions"/> from configuration without reflection, so it is trim- and AOT-safe.
/// A value that does not parse is recorded and reported by validation with its configuration path.
/// </summary>
internal static class ScopeTokenOptionsBinder
{
    public static void Bind(IConfiguration configuration, ScopeTokenOptions options)
    {
        String(configuration, nameof(options.Issuer), v => options.Issuer = v);
        String(configuration, "Audience", options.Audiences.Add);
        foreach (var child in configuration.GetSection(nameof(options.Audiences)).GetChildren())
        {
            if (child.Value is { } audience)
            {
                options.Audiences.Add(audience);
            }
        }

        Parsed<ScopeFormat>(configuration, options, nameof(options.Format), static (string s, out ScopeFormat v) => Enum.TryParse(s, ignoreCase: true, out v) && Enum.IsDefined(v), v => options.Format = v, "Array, SpaceDelimited or Both");
        String(configuration, nameof(options.ClaimName), v => options.ClaimName = v);
        String(configuration, nameof(options.ArrayClaimName), v => options.ArrayClaimName = v);
        String(configuration, nameof(options.TokenType), v => options.TokenType = v);
        Parsed<bool>(configuration, options, nameof(options.WriteEmptyArray), bool.TryParse, v => options.WriteEmptyArray = v, "true or false");
        Parsed<bool>(configuration, options, nameof(options.IncludeJwtId), bool.TryParse, v => options.IncludeJwtId = v, "true or false");
        Parsed<TimeSpan>(configuration, options, nameof(options.Lifetime), TryParseTimeSpan, v => options.Lifetime = v, "a time span such as 00:05:00");
        Parsed<TimeSpan>(configuration, options, nameof(options.MaxLifetime), TryParseTimeSpan, v => options.MaxLifetime = v, "a time span such as 01:00:00");

        var key = configuration.GetSection(nameof(options.SigningKey));
        var k = options.SigningKey;
        String(key, nameof(k.Path), v => k.Path = v);
        String(key, nameof(k.Pem), v => k.Pem = v);
        String(key, nameof(k.Jwk), v => k.Jwk = v);
        String(key, nameof(k.CertificatePath), v => k.CertificatePath = v);
        String(key, nameof(k.CertificateKeyPath), v => k.CertificateKeyPath = v);
        String(key, nameof(k.CertificatePassword), v => k.CertificatePassword = v);
        String(key, nameof(k.Algorithm), v => k.Algorithm = v);
        String(key, nameof(k.KeyId), v => k.KeyId = v);

        var limits = configuration.GetSection(nameof(options.Limits));
        var l = options.Limits;
        Parsed<int>(limits, options, nameof(l.MaxScopes), TryParseInt, v => l.MaxScopes = v, "an integer");
        Parsed<int>(limits, options, nameof(l.MaxScopeLength), TryParseInt, v => l.MaxScopeLength = v, "an integer");
        Parsed<int>(limits, options, nameof(l.MaxTotalLength), TryParseInt, v => l.MaxTotalLength = v, "an integer");
    }

    private delegate bool TryParse<T>(string value, out T result);

    private static void String(IConfiguration configuration, string key, Action<string> set)
    {
        if (configuration[key] is { } value)
        {
            set(value);
        }
    }

    private static void Parsed<T>(IConfiguration configuration, ScopeTokenOptions options, string key, TryParse<T> parse, Action<T> set, string expected)
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
            options.BindingErrors.Add($"Configuration value '{path}' is not {expected}.");
        }
    }

    private static bool TryParseTimeSpan(string value, out TimeSpan result) => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out result);

    private static bool TryParseInt(string value, out int result) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
}
