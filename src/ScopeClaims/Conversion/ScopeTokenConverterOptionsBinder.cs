using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using static ScopeClaims.Internal.ConfigurationValues;

namespace ScopeClaims.Internal;

/// <summary>
/// Binds <see cref="ScopeTokenConverterOptions"/> from configuration without reflection (trim- and AOT-safe). A value that
/// does not parse is left as it was; <see cref="Problems"/> lists such values with their configuration paths, and the
/// registration validator reports them on start.
/// </summary>
internal static class ScopeTokenConverterOptionsBinder
{
    private const string FormerProfileNameKey = "TargetProfile";

    public static void Bind(IConfiguration configuration, ScopeTokenConverterOptions options) => Bind(configuration, options, new List<string>());

    /// <summary>The values of <paramref name="configuration"/> that do not parse, each naming its configuration path.</summary>
    public static List<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        Bind(configuration, new ScopeTokenConverterOptions(), problems);
        return problems;
    }

    private static void Bind(IConfiguration configuration, ScopeTokenConverterOptions options, List<string> errors)
    {
        String(configuration, nameof(options.ProfileName), v => options.ProfileName = v);
        if (configuration[FormerProfileNameKey] is not null)
        {
            // Note: the key ProfileName had before; ignored, it would leave the converter re-issuing under the default profile.
            var path = configuration is IConfigurationSection section ? section.Path + ":" : string.Empty;
            errors.Add($"Configuration value '{path}{FormerProfileNameKey}' is no longer read; name the profile with '{path}{nameof(options.ProfileName)}'.");
        }

        String(configuration, nameof(options.AllowedScopes), v => options.AllowedScopes = v);
        Int(configuration, nameof(options.MaxTokenLength), v => options.MaxTokenLength = v, errors);
        Int(configuration, nameof(options.MaxJsonDepth), v => options.MaxJsonDepth = v, errors);
        TimeSpan(configuration, nameof(options.MaxLifetime), v => options.MaxLifetime = v, errors);
        Bool(configuration, nameof(options.AllowEncryptedTokens), v => options.AllowEncryptedTokens = v, errors);
        ScopeTokenOptionsBinder.BindLimits(configuration.GetSection(nameof(options.Limits)), options.Limits, errors);

        var copied = configuration.GetSection(nameof(options.CopiedClaims));
        if (copied.Exists())
        {
            options.CopiedClaims.Clear();
            List(configuration, nameof(options.CopiedClaims), options.CopiedClaims.Add);
        }

        foreach (var section in configuration.GetSection(nameof(options.Issuers)).GetChildren())
        {
            var issuer = new InboundIssuerOptions();
            String(section, nameof(issuer.Issuer), v => issuer.Issuer = v);
            String(section, nameof(issuer.JwksJson), v => issuer.JwksJson = v);
            String(section, nameof(issuer.JwksPath), v => issuer.JwksPath = v);
            String(section, "Audience", issuer.Audiences.Add);
            List(section, nameof(issuer.Audiences), issuer.Audiences.Add);
            List(section, nameof(issuer.Algorithms), issuer.Algorithms.Add);
            List(section, nameof(issuer.TokenTypes), issuer.TokenTypes.Add);
            AbsoluteUri(section, nameof(issuer.Authority), v => issuer.Authority = v, errors);
            AbsoluteUri(section, nameof(issuer.MetadataAddress), v => issuer.MetadataAddress = v, errors);
            TimeSpan(section, nameof(issuer.ClockSkew), v => issuer.ClockSkew = v, errors);
            TimeSpan(section, nameof(issuer.MetadataRefreshInterval), v => issuer.MetadataRefreshInterval = v, errors);
            options.Issuers.Add(issuer);
        }
    }
}
