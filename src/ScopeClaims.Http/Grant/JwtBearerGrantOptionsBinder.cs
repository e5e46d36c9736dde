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
        AbsoluteUri(configuration, nameof(options.Authority), v => options.Authority = v, errors);
        String(configuration, nameof(options.ClientId), v => options.ClientId = v);
        String(configuration, nameof(options.Subject), v => options.Subject = v);
        String(configuration, nameof(options.Audience), v => options.Audience = v);
        if (BindScopes(configuration, errors) is { } scopes)
        {
            options.Scopes = scopes;
        }

        Bool(configuration, nameof(options.SendScopeParameter), v => options.SendScopeParameter = v, errors);
        String(configuration, nameof(options.ProfileName), v => options.ProfileName = v);
        TimeSpan(configuration, nameof(options.AssertionLifetime), v => options.AssertionLifetime = v, errors);
        Parsed<ClientAuthenticationMethod>(configuration, nameof(options.ClientAuthentication), TryParseMethod, v => options.ClientAuthentication = v, errors, "None, ClientSecretBasic, ClientSecretPost or PrivateKeyJwt");
        String(configuration, nameof(options.ClientSecret), v => options.ClientSecret = v);
        ClientAssertionOptionsBinder.Bind(configuration.GetSection(nameof(options.ClientAssertion)), options.ClientAssertion, errors);
        BindParameters(configuration, options.Parameters);
        TimeSpan(configuration, nameof(options.RefreshBeforeExpiry), v => options.RefreshBeforeExpiry = v, errors);
        BindDefaultTokenLifetime(configuration, v => options.DefaultTokenLifetime = v, errors);
        TimeSpan(configuration, nameof(options.TokenRequestTimeout), v => options.TokenRequestTimeout = v, errors);
        Bool(configuration, nameof(options.RetryOnUnauthorized), v => options.RetryOnUnauthorized = v, errors);
        String(configuration, nameof(options.TokenClientName), v => options.TokenClientName = v);
    }

    /// <summary><c>Scopes</c> is one space-delimited string or an array of scopes; a value that is not valid scopes is reported.</summary>
    /// <returns>The scopes, or <see langword="null"/> when the key is absent or its value was reported.</returns>
    internal static ScopeSet? BindScopes(IConfiguration configuration, System.Collections.Generic.List<string> errors)
    {
        var section = configuration.GetSection(nameof(JwtBearerGrantOptions.Scopes));
        try
        {
            if (section.Value is { } value)
            {
                return ScopeSet.Parse(value);
            }
            else if (section.Exists())
            {
                var scopes = new System.Collections.Generic.List<string>();
                List(configuration, nameof(JwtBearerGrantOptions.Scopes), scopes.Add);
                return ScopeSet.Create(scopes);
            }
        }
        catch (ScopeFormatException ex)
        {
            errors.Add($"Configuration value '{section.Path}' is not a valid set of scopes: {ex.Message}");
        }

        return null;
    }

    /// <summary><c>Parameters</c>: one child per form parameter (name: value).</summary>
    internal static void BindParameters(IConfiguration configuration, System.Collections.Generic.IDictionary<string, string> parameters)
    {
        foreach (var parameter in configuration.GetSection(nameof(JwtBearerGrantOptions.Parameters)).GetChildren())
        {
            if (parameter.Value is { } value)
            {
                parameters[parameter.Key] = value;
            }
        }
    }

    /// <summary><c>DefaultTokenLifetime</c>: a time span, or an empty value for null.</summary>
    internal static void BindDefaultTokenLifetime(IConfiguration configuration, Action<TimeSpan?> set, System.Collections.Generic.List<string> errors)
    {
        // Note: an empty value means null: a token without expires_in is used once and not cached.
        if (configuration[nameof(JwtBearerGrantOptions.DefaultTokenLifetime)] is { Length: 0 })
        {
            set(null);
        }
        else
        {
            TimeSpan(configuration, nameof(JwtBearerGrantOptions.DefaultTokenLifetime), v => set(v), errors);
        }
    }

    // Note: by name only; Enum.TryParse would also take numbers such as "1".
    internal static bool TryParseMethod(string value, out ClientAuthenticationMethod method) =>
        value.AsSpan().IndexOfAnyInRange('0', '9') < 0 & Enum.TryParse(value, ignoreCase: true, out method) && Enum.IsDefined(method);
}
