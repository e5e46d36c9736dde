using Microsoft.Extensions.Configuration;
using static ScopeClaims.Internal.ConfigurationValues;

namespace ScopeClaims.Http.Internal;

/// <summary>Binds the shared <see cref="TokenGrantOptions"/> from configuration without reflection (trim- and AOT-safe).</summary>
internal static class TokenGrantOptionsBinder
{
    public static void Bind(IConfiguration configuration, TokenGrantOptions options)
    {
        var errors = options.BindingErrors;
        AbsoluteUri(configuration, nameof(options.TokenEndpoint), v => options.TokenEndpoint = v, errors);
        AbsoluteUri(configuration, nameof(options.Authority), v => options.Authority = v, errors);
        String(configuration, nameof(options.ClientId), v => options.ClientId = v);
        if (JwtBearerGrantOptionsBinder.BindScopes(configuration, errors) is { } scopes)
        {
            options.Scopes = scopes;
        }

        AbsoluteUri(configuration, nameof(options.Resource), v => options.Resource = v, errors);
        String(configuration, nameof(options.Audience), v => options.Audience = v);
        Parsed<ClientAuthenticationMethod>(configuration, nameof(options.ClientAuthentication), JwtBearerGrantOptionsBinder.TryParseMethod, v => options.ClientAuthentication = v, errors, "None, ClientSecretBasic, ClientSecretPost or PrivateKeyJwt");
        String(configuration, nameof(options.ClientSecret), v => options.ClientSecret = v);
        ClientAssertionOptionsBinder.Bind(configuration.GetSection(nameof(options.ClientAssertion)), options.ClientAssertion, errors);
        JwtBearerGrantOptionsBinder.BindParameters(configuration, options.Parameters);
        TimeSpan(configuration, nameof(options.RefreshBeforeExpiry), v => options.RefreshBeforeExpiry = v, errors);
        JwtBearerGrantOptionsBinder.BindDefaultTokenLifetime(configuration, v => options.DefaultTokenLifetime = v, errors);
        TimeSpan(configuration, nameof(options.TokenRequestTimeout), v => options.TokenRequestTimeout = v, errors);
        Bool(configuration, nameof(options.RetryOnUnauthorized), v => options.RetryOnUnauthorized = v, errors);
        String(configuration, nameof(options.TokenClientName), v => options.TokenClientName = v);
    }
}
