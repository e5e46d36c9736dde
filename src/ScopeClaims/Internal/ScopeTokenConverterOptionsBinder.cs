using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ScopeClaims.Internal;

/// <summary>Binds <see cref="ScopeTokenConverterOptions"/> from configuration without reflection (trim- and AOT-safe).</summary>
internal static class ScopeTokenConverterOptionsBinder
{
    public static void Bind(IConfiguration configuration, ScopeTokenConverterOptions options)
    {
        if (configuration[nameof(options.TargetProfile)] is { } target)
        {
            options.TargetProfile = target;
        }

        if (configuration[nameof(options.AllowedScopes)] is { } allowed)
        {
            options.AllowedScopes = allowed;
        }

        Int(configuration, nameof(options.MaxTokenLength), v => options.MaxTokenLength = v, options);
        Int(configuration, nameof(options.MaxJsonDepth), v => options.MaxJsonDepth = v, options);
        TimeSpanValue(configuration, nameof(options.MaxLifetime), v => options.MaxLifetime = v, options);
        if (configuration[nameof(options.AllowEncryptedTokens)] is { } allowJwe)
        {
            if (bool.TryParse(allowJwe, out var value))
            {
                options.AllowEncryptedTokens = value;
            }
            else
            {
                options.BindingErrors.Add($"Configuration value '{PathOf(configuration, nameof(options.AllowEncryptedTokens))}' is not true or false.");
            }
        }

        var copied = configuration.GetSection(nameof(options.CopiedClaims));
        if (copied.Exists())
        {
            options.CopiedClaims.Clear();
            foreach (var child in copied.GetChildren())
            {
                if (child.Value is { } claim)
                {
                    options.CopiedClaims.Add(claim);
                }
            }
        }

        foreach (var section in configuration.GetSection(nameof(options.Issuers)).GetChildren())
        {
            var issuer = new InboundIssuerOptions
            {
                Issuer = section[nameof(InboundIssuerOptions.Issuer)],
                JwksJson = section[nameof(InboundIssuerOptions.JwksJson)],
                JwksPath = section[nameof(InboundIssuerOptions.JwksPath)],
            };
            List(section, nameof(issuer.Audiences), issuer.Audiences.Add);
            List(section, nameof(issuer.Algorithms), issuer.Algorithms.Add);
            List(section, nameof(issuer.TokenTypes), issuer.TokenTypes.Add);
            if (section["Audience"] is { } audience)
            {
                issuer.Audiences.Add(audience);
            }

            UriValue(section, nameof(issuer.Authority), v => issuer.Authority = v, options);
            UriValue(section, nameof(issuer.MetadataAddress), v => issuer.MetadataAddress = v, options);
            TimeSpanValue(section, nameof(issuer.ClockSkew), v => issuer.ClockSkew = v, options);
            TimeSpanValue(section, nameof(issuer.MetadataRefreshInterval), v => issuer.MetadataRefreshInterval = v, options);
            options.Issuers.Add(issuer);
        }
    }

    private static void List(IConfiguration section, string key, Action<string> add)
    {
        foreach (var child in section.GetSection(key).GetChildren())
        {
            if (child.Value is { } value)
            {
                add(value);
            }
        }
    }

    private static void Int(IConfiguration configuration, string key, Action<int> set, ScopeTokenConverterOptions options)
    {
        if (configuration[key] is not { } value)
        {
            return;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            set(parsed);
        }
        else
        {
            options.BindingErrors.Add($"Configuration value '{PathOf(configuration, key)}' is not an integer.");
        }
    }

    private static void TimeSpanValue(IConfiguration configuration, string key, Action<TimeSpan> set, ScopeTokenConverterOptions options)
    {
        if (configuration[key] is not { } value)
        {
            return;
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed))
        {
            set(parsed);
        }
        else
        {
            options.BindingErrors.Add($"Configuration value '{PathOf(configuration, key)}' is not a time span such as 00:05:00.");
        }
    }

    private static void UriValue(IConfiguration configuration, string key, Action<Uri> set, ScopeTokenConverterOptions options)
    {
        if (configuration[key] is not { } value)
        {
            return;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var parsed))
        {
            set(parsed);
        }
        else
        {
            options.BindingErrors.Add($"Configuration value '{PathOf(configuration, key)}' is not an absolute URL.");
        }
    }

    private static string PathOf(IConfiguration configuration, string key) =>
        configuration is IConfigurationSection section ? $"{section.Path}:{key}" : key;
}
