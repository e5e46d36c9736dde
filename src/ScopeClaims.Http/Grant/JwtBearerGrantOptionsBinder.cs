using System;
using Microsoft.Extensions.Configuration;
using static ScopeClaims.Internal.ConfigurationValues;

namespace ScopeClaims.Http.Internal;

/// <summary>Binds <see cref="JwtBearerGrantOptions"/> from configuration without reflection (trim- and AOT-safe).</summary>
internal static class JwtBearerGrantOptionsBinder
{
    public static void Bind(IConfiguration configuration, JwtBearerGrantOptions options)
    {
        var errors = options.BindingErrors;
        AbsoluteUri(configuration, nameof(options.TokenEndpoint), v => options.TokenEndpoint = v, errors);
        String(configuration, nameof(options.ClientId), v => options.ClientId = v);
        String(configuration, nameof(options.Subject), v => options.Subject = v);
        String(configuration, nameof(options.Audience), v => options.Audience = v);
        BindScopes(configuration, options);
        Bool(configuration, nameof(options.SendScopeParameter), v => options.SendScopeParameter = v, errors);
        String(configuration, nameof(options.ProfileName), v => options.ProfileName = v);
        TimeSpan(configuration, nameof(options.AssertionLifetime), v => options.AssertionLifetime = v, errors);
        Parsed<ClientAuthenticationMethod>(configuration, nameof(options.ClientAuthentication), TryParseMethod, v => options.ClientAuthentication = v, errors, "None, ClientSecretBasic or ClientSecretPost");
        String(configuration, nameof(options.ClientSecret), v => options.ClientSecret = v);
        foreach (var parameter in configuration.GetSection(nameof(options.Parameters)).GetChildren())
        {
            if (parameter.Value is { } value)
            {
                options.Parameters[parameter.Key] = value;
            }
        }

        TimeSpan(configuration, nameof(options.RefreshBeforeExpiry), v => options.RefreshBeforeExpiry = v, errors);

        // Note: an empty value means null: a token without expires_in is used once and not cached.
        if (configuration[nameof(options.DefaultTokenLifetime)] is { Length: 0 })
        {
            options.DefaultTokenLifetime = null;
        }
        else
        {
            TimeSpan(configuration, nameof(options.DefaultTokenLifetime), v => options.DefaultTokenLifetime = v, errors);
        }

        TimeSpan(configuration, nameof(options.TokenRequestTimeout), v => options.TokenRequestTimeout = v, errors);
        Bool(configuration, nameof(options.RetryOnUnauthorized), v => options.RetryOnUnauthorized = v, errors);
        String(configuration, nameof(options.TokenClientName), v => options.TokenClientName = v);
    }

    /// <summary><c>Scopes</c> is one space-delimited string or an array of scopes; a value that is not valid scopes is reported.</summary>
    private static void BindScopes(IConfiguration configuration, JwtBearerGrantOptions options)
    {
        var section = configuration.GetSection(nameof(options.Scopes));
        try
        {
            if (section.Value is { } value)
            {
                options.Scopes = ScopeSet.Parse(value);
            }
            else if (section.Exists())
            {
                var scopes = new System.Collections.Generic.List<string>();
                List(configuration, nameof(options.Scopes), scopes.Add);
                options.Scopes = ScopeSet.Create(scopes);
            }
        }
        catch (ScopeFormatException ex)
        {
            options.BindingErrors.Add($"Configuration value '{section.Path}' is not a valid set of scopes: {ex.Message}");
        }
    }

    // Note: by name only; Enum.TryParse would also take numbers such as "1".
    private static bool TryParseMethod(string value, out ClientAuthenticationMethod method) =>
        value.AsSpan().IndexOfAnyInRange('0', '9') < 0 & Enum.TryParse(value, ignoreCase: true, out method) && Enum.IsDefined(method);
}
