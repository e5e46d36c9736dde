using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>
/// Checks <see cref="ScopeNormalizerOptions"/> and reports every problem at once, each naming its option, so that options
/// the <see cref="ScopeNormalizer"/> would refuse when first resolved, or would accept and then fail every read with,
/// fail when the host starts.
/// </summary>
internal sealed class ScopeNormalizerOptionsValidator : IValidateOptions<ScopeNormalizerOptions>
{
    public static readonly ScopeNormalizerOptionsValidator Instance = new();

    private const int MinPayloadLength = 2;

    public ValidateOptionsResult Validate(string? name, ScopeNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var owner = string.IsNullOrEmpty(name) ? "the scope normalizer" : $"scope normalizer options '{name}'";

        if (options.ClaimTypes.Count == 0)
        {
            failures.Add($"ScopeNormalizerOptions.ClaimTypes is empty: name at least one claim type, such as 'scope' ({owner}).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ClaimTypes.Count; i++)
        {
            var type = options.ClaimTypes[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"ScopeNormalizerOptions.ClaimTypes[{i}]");
            if (string.IsNullOrWhiteSpace(type))
            {
                failures.Add($"{at} is empty ({owner}).");
            }
            else if (ClaimNameRules.Reserved.Contains(type))
            {
                failures.Add($"{at} '{type}' is a registered JWT claim or a profile-owned one ({ClaimNameRules.ReservedList}); scopes are never read from it ({owner}).");
            }
            else if (!seen.Add(type))
            {
                failures.Add($"{at} '{type}' is listed twice ({owner}).");
            }
        }

        OptionRules.CheckDefined(failures, "ScopeNormalizerOptions.MultipleClaims", options.MultipleClaims, owner);
        OptionRules.CheckLimits(failures, "ScopeNormalizerOptions.Limits", options.Limits, owner);

        if (options.MaxPayloadLength < MinPayloadLength)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"ScopeNormalizerOptions.MaxPayloadLength ({options.MaxPayloadLength}) must be at least {MinPayloadLength} ({owner})."));
        }

        OptionRules.CheckJsonDepth(failures, "ScopeNormalizerOptions.MaxJsonDepth", options.MaxJsonDepth, owner);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
