using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Internal;

/// <summary>Checks <see cref="JwtBearerGrantOptions.ClientAssertion"/> and the profile that signs it, when the grant authenticates with <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
internal static class ClientAssertionRules
{
    public static void Check(List<string> failures, JwtBearerGrantOptions options, IServiceProvider services, string client)
    {
        if (options.ClientAuthentication != ClientAuthenticationMethod.PrivateKeyJwt)
        {
            return;
        }

        var assertion = options.ClientAssertion;
        if (assertion.Lifetime <= TimeSpan.Zero || assertion.Lifetime > ClientAssertionOptions.MaxLifetime)
        {
            failures.Add($"JwtBearerGrantOptions.ClientAssertion.Lifetime must be positive and at most {ClientAssertionOptions.MaxLifetime} ({client}): a client assertion is used at once.");
        }

        if (assertion.Audience is not null && string.IsNullOrWhiteSpace(assertion.Audience))
        {
            failures.Add($"JwtBearerGrantOptions.ClientAssertion.Audience is empty ({client}); leave it null for the token endpoint URL.");
        }

        var profileName = ClientAssertion.ProfileName(options);
        if (profileName is null)
        {
            return; // reported as ProfileName cannot be null
        }

        var profile = profileName.Length == 0 ? "the default profile" : $"profile '{profileName}'";
        if (services.GetService<IScopeTokenIssuerFactory>() is not { } issuers)
        {
            failures.Add($"ClientAuthentication PrivateKeyJwt needs a ScopeClaims token profile ({client}): call services.AddArrayScopeTokens(...) or AddScopeTokens(...) to configure the key that signs the client assertion, and name it in ClientAssertion.ProfileName unless it is the default profile.");
            return;
        }

        try
        {
            if (issuers.GetIssuer(profileName).Keys.Active.IsSymmetric)
            {
                failures.Add($"JwtBearerGrantOptions.ClientAssertion.ProfileName names {profile}, whose signing key is an HMAC key ({client}): private_key_jwt needs an asymmetric key (RSA, RSA-PSS or ECDSA).");
            }
        }
        catch (OptionsValidationException ex)
        {
            failures.Add($"JwtBearerGrantOptions.ClientAssertion.ProfileName names {profile}, which is not a valid ScopeClaims profile ({client}): {string.Join(" ", ex.Failures)}");
        }
    }
}
