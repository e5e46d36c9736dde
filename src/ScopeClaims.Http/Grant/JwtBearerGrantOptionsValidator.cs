using System;
using System.Collections.Generic;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>Checks a client's grant options and the profile they name, reporting every problem at once, each naming its option.</summary>
internal sealed class JwtBearerGrantOptionsValidator : IValidateOptions<JwtBearerGrantOptions>
{
    private readonly IServiceProvider _services;

    public JwtBearerGrantOptionsValidator(IServiceProvider services)
    {
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, JwtBearerGrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingErrors);
        var client = $"HttpClient '{name}'";

        if (options.Authority is null || options.TokenEndpoint is not null)
        {
            CheckEndpoint(failures, options.TokenEndpoint, client);
        }

        AuthorityRules.Check(failures, options, client);
        CheckOptional(failures, nameof(options.ClientId), options.ClientId, client);
        CheckOptional(failures, nameof(options.Subject), options.Subject, client);
        CheckOptional(failures, nameof(options.Audience), options.Audience, client);
        if (options.Scopes is null)
        {
            failures.Add($"JwtBearerGrantOptions.Scopes cannot be null ({client}); use ScopeSet.Empty for no scopes.");
        }

        if (options.AssertionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"JwtBearerGrantOptions.AssertionLifetime must be positive ({client}).");
        }

        if (options.RefreshBeforeExpiry < TimeSpan.Zero)
        {
            failures.Add($"JwtBearerGrantOptions.RefreshBeforeExpiry cannot be negative ({client}).");
        }

        if (options.DefaultTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"JwtBearerGrantOptions.DefaultTokenLifetime must be positive, or null to use a token without expires_in once ({client}).");
        }

        if (options.TokenRequestTimeout <= TimeSpan.Zero && options.TokenRequestTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            failures.Add($"JwtBearerGrantOptions.TokenRequestTimeout must be positive ({client}).");
        }

        CheckClientAuthentication(failures, options, client);
        ClientAssertionRules.Check(failures, options, _services, client);
        CheckParameters(failures, options, client);

        if (string.IsNullOrWhiteSpace(options.TokenClientName))
        {
            failures.Add($"JwtBearerGrantOptions.TokenClientName is required ({client}).");
        }
        else if (string.Equals(options.TokenClientName, name, StringComparison.Ordinal))
        {
            failures.Add($"JwtBearerGrantOptions.TokenClientName cannot be the client's own name ({client}): the token request would need a token first.");
        }

        if (options.Grant is null)
        {
            CheckProfile(failures, options, client);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckEndpoint(List<string> failures, Uri? endpoint, string client)
    {
        if (endpoint is null)
        {
            failures.Add($"JwtBearerGrantOptions.TokenEndpoint is required ({client}): set the partner's OAuth 2.0 token endpoint URL.");
        }
        else if (!endpoint.IsAbsoluteUri)
        {
            failures.Add($"JwtBearerGrantOptions.TokenEndpoint must be an absolute URL ({client}).");
        }
        else if (endpoint.UserInfo.Length > 0)
        {
            // Note: HttpClient never sends user info as credentials, and the endpoint is logged and named in exceptions:
            // a secret there would only leak. The value is not repeated here.
            failures.Add($"JwtBearerGrantOptions.TokenEndpoint must not carry user info ('user:password@'); give client credentials with ClientId and ClientSecret ({client}).");
        }
        else if (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && IsLoopback(endpoint)))
        {
            // RFC 6749 §3.2: the token endpoint carries credentials and must use TLS.
            failures.Add($"JwtBearerGrantOptions.TokenEndpoint must use https ({client}); plain http is allowed on a loopback address only.");
        }
        else if (!string.IsNullOrEmpty(endpoint.Fragment))
        {
            failures.Add($"JwtBearerGrantOptions.TokenEndpoint cannot have a fragment ({client}, RFC 6749 §3.2).");
        }
    }

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static void CheckOptional(List<string> failures, string option, string? value, string client)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"JwtBearerGrantOptions.{option} is empty ({client}); leave it null for the default.");
        }
    }

    private static void CheckClientAuthentication(List<string> failures, JwtBearerGrantOptions options, string client)
    {
        switch (options.ClientAuthentication)
        {
            case ClientAuthenticationMethod.None when options.ClientSecret is not null:
                failures.Add($"JwtBearerGrantOptions.ClientSecret is set but ClientAuthentication is None ({client}); set ClientAuthentication to ClientSecretBasic or ClientSecretPost, or remove the secret.");
                break;
            case ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost when string.IsNullOrEmpty(options.ClientSecret):
                failures.Add($"JwtBearerGrantOptions.ClientSecret is required with ClientAuthentication {options.ClientAuthentication} ({client}).");
                break;
            case ClientAuthenticationMethod.PrivateKeyJwt when options.ClientSecret is not null:
                failures.Add($"JwtBearerGrantOptions.ClientSecret is set but ClientAuthentication is PrivateKeyJwt ({client}): the client assertion authenticates the client; remove the secret.");
                break;
            case ClientAuthenticationMethod.None or ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost or ClientAuthenticationMethod.PrivateKeyJwt:
                break;
            default:
                failures.Add($"JwtBearerGrantOptions.ClientAuthentication '{options.ClientAuthentication}' is not one of None, ClientSecretBasic, ClientSecretPost, PrivateKeyJwt ({client}).");
                break;
        }
    }

    private static void CheckParameters(List<string> failures, JwtBearerGrantOptions options, string client)
    {
        foreach (var (key, value) in options.Parameters)
        {
            if (string.IsNullOrWhiteSpace(key) || value is null)
            {
                failures.Add($"JwtBearerGrantOptions.Parameters has an empty name or a null value ({client}).");
            }
            else if (TokenEndpointClient.ReservedParameters.Contains(key) || options.Grant?.OwnParameters.Contains(key) == true)
            {
                failures.Add($"JwtBearerGrantOptions.Parameters cannot set '{key}' ({client}): the grant sets it; use the matching option instead.");
            }
        }
    }

    private void CheckProfile(List<string> failures, JwtBearerGrantOptions options, string client)
    {
        if (options.ProfileName is null)
        {
            failures.Add($"JwtBearerGrantOptions.ProfileName cannot be null ({client}); use Options.DefaultName (\"\") for the default profile.");
            return;
        }

        if (_services.GetService<IScopeTokenIssuerFactory>() is null)
        {
            failures.Add($"No ScopeClaims token profile is registered ({client}): call services.AddArrayScopeTokens(...) to configure the key that signs the assertion.");
            return;
        }

        var profileName = options.ProfileName.Length == 0 ? "the default profile" : $"profile '{options.ProfileName}'";
        ScopeTokenOptions profile;
        try
        {
            profile = _services.GetRequiredService<IOptionsMonitor<ScopeTokenOptions>>().Get(options.ProfileName);
        }
        catch (OptionsValidationException ex)
        {
            failures.Add($"JwtBearerGrantOptions.ProfileName names {profileName}, which is not a valid ScopeClaims profile ({client}): {string.Join(" ", ex.Failures)}");
            return;
        }

        if (options.AssertionLifetime > profile.MaxLifetime)
        {
            failures.Add($"JwtBearerGrantOptions.AssertionLifetime ({options.AssertionLifetime}) exceeds ScopeTokenOptions.MaxLifetime ({profile.MaxLifetime}) of {profileName} ({client}).");
        }
    }
}
