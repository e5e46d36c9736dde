using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>
/// Checks a token profile and reports every problem at once, each naming its option. The signing key is loaded through
/// <see cref="ProfileSigningKeys"/>, which keeps it for the profile's issuer.
/// </summary>
internal sealed class ScopeTokenOptionsValidator : IValidateOptions<ScopeTokenOptions>
{
    private readonly ProfileSigningKeys _keys;

    public ScopeTokenOptionsValidator(ProfileSigningKeys keys) => _keys = keys;

    public ValidateOptionsResult Validate(string? name, ScopeTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        var failures = new List<string>();
        var profile = string.IsNullOrEmpty(name) ? "the default profile" : $"profile '{name}'";

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"ScopeTokenOptions.Issuer is required ({profile}): set the 'iss' value your partner expects.");
        }

        if (options.Audiences.Count == 0)
        {
            failures.Add($"ScopeTokenOptions.Audiences needs at least one audience ({profile}).");
        }
        else if (options.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"ScopeTokenOptions.Audiences contains an empty value ({profile}).");
        }

        OptionRules.CheckLifetime(failures, "ScopeTokenOptions.Lifetime", options.Lifetime, profile);
        OptionRules.CheckLifetime(failures, "ScopeTokenOptions.MaxLifetime", options.MaxLifetime, profile);
        if (options.Lifetime > options.MaxLifetime)
        {
            failures.Add($"ScopeTokenOptions.Lifetime ({options.Lifetime}) exceeds ScopeTokenOptions.MaxLifetime ({options.MaxLifetime}) ({profile}).");
        }

        OptionRules.CheckDefined(failures, "ScopeTokenOptions.Format", options.Format, profile);
        CheckClaimName(failures, nameof(options.ClaimName), options.ClaimName, profile);
        if (options.Format == ScopeFormat.Both)
        {
            CheckClaimName(failures, nameof(options.ArrayClaimName), options.ArrayClaimName, profile);
            if (ClaimNameRules.NameComparer.Equals(options.ClaimName, options.ArrayClaimName))
            {
                failures.Add($"ScopeTokenOptions.ArrayClaimName must differ from ScopeTokenOptions.ClaimName, ignoring case, with Format Both ({profile}).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.TokenType))
        {
            failures.Add($"ScopeTokenOptions.TokenType is required, e.g. 'JWT' or 'at+jwt' ({profile}).");
        }

        OptionRules.CheckLimits(failures, "ScopeTokenOptions.Limits", options.Limits, profile);

        if (options.SigningKeys is null && options.SigningKey is null)
        {
            failures.Add($"ScopeTokenOptions.SigningKey is required when SigningKeys is not set ({profile}).");
        }
        else if (options.SigningKeys is not null && options.SigningKey is not null && (options.SigningKey.Managed || SigningKeyLoader.Sources(options.SigningKey).Count > 0))
        {
            failures.Add($"ScopeTokenOptions.SigningKeys and ScopeTokenOptions.SigningKey are both set ({profile}); use one.");
        }
        else
        {
            try
            {
                _keys.Resolve(name, options);
            }
            catch (SigningKeyException ex)
            {
                failures.Add($"ScopeTokenOptions.SigningKey ({profile}): {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckClaimName(List<string> failures, string option, string? value, string profile)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"ScopeTokenOptions.{option} is required ({profile}).");
        }
        else if (ClaimNameRules.Reserved.Contains(value))
        {
            failures.Add($"ScopeTokenOptions.{option} '{value}' is a registered JWT claim or a profile-owned one ({ClaimNameRules.ReservedList}, in any letter case); use 'scope' or 'scp' ({profile}).");
        }
        else if (ClaimNameRules.ScopeTypeOfCaseVariant(value) is { } scopeType)
        {
            failures.Add($"ScopeTokenOptions.{option} '{value}' differs from the scope claim '{scopeType}' only in case; consumers compare claim types ignoring case, so name it '{scopeType}' exactly ({profile}).");
        }
    }
}
