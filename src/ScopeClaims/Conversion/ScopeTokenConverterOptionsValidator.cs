using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>Checks converter options and reports every problem at once, each naming its option.</summary>
internal sealed class ScopeTokenConverterOptionsValidator : IValidateOptions<ScopeTokenConverterOptions>
{
    public static readonly ScopeTokenConverterOptionsValidator Instance = new();

    private const int MinTokenLength = 256;

    private const int MaxTokenLength = 1024 * 1024;

    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>How messages name a converter: "the default converter" or "converter 'name'".</summary>
    internal static string Describe(string? name) => string.IsNullOrEmpty(name) ? "the default converter" : $"converter '{name}'";

    /// <summary>
    /// The inbound issuers named like the issuer of the tokens the converter issues, as failures: every token of that
    /// issuer is refused as our own (<see cref="TokenConversionFailure.ReplayedOwnToken"/>), so such an inbound issuer
    /// could never convert anything and can only be a configuration mistake.
    /// </summary>
    internal static IEnumerable<string> OwnIssuerFailures(ScopeTokenConverterOptions options, string? ownIssuer, string issuing, string converter)
    {
        for (var i = 0; i < options.Issuers.Count; i++)
        {
            if (ownIssuer is not null && string.Equals(options.Issuers[i]?.Issuer, ownIssuer, StringComparison.Ordinal))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"ScopeTokenConverterOptions.Issuers[{i}].Issuer is '{ownIssuer}', the issuer of {issuing}; the converter refuses every token of its own issuer as a replay, so name an issuer other than our own ({converter}).");
            }
        }
    }

    public ValidateOptionsResult Validate(string? name, ScopeTokenConverterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var converter = Describe(name);

        if (options.Issuers.Count == 0)
        {
            failures.Add($"ScopeTokenConverterOptions.Issuers needs at least one inbound issuer ({converter}).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"ScopeTokenConverterOptions.Issuers[{i}]");
            if (issuer is null)
            {
                failures.Add($"{at} is null ({converter}).");
                continue;
            }

            ValidateIssuer(issuer, at, converter, failures);
            if (!string.IsNullOrWhiteSpace(issuer.Issuer) && !seen.Add(issuer.Issuer))
            {
                failures.Add($"{at}.Issuer '{issuer.Issuer}' is configured twice ({converter}).");
            }
        }

        if (options.ProfileName is null)
        {
            failures.Add($"ScopeTokenConverterOptions.ProfileName is required ({converter}).");
        }

        if (options.MaxTokenLength < MinTokenLength || options.MaxTokenLength > MaxTokenLength)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"ScopeTokenConverterOptions.MaxTokenLength ({options.MaxTokenLength}) must be between {MinTokenLength} and {MaxTokenLength} ({converter})."));
        }

        OptionRules.CheckJsonDepth(failures, "ScopeTokenConverterOptions.MaxJsonDepth", options.MaxJsonDepth, converter);

        foreach (var claim in options.CopiedClaims)
        {
            if (string.IsNullOrWhiteSpace(claim) || ClaimNameRules.Reserved.Contains(claim) || ClaimNameRules.ScopeTypes.Contains(claim))
            {
                failures.Add($"ScopeTokenConverterOptions.CopiedClaims cannot hold '{claim}': registered, profile-owned ({ClaimNameRules.ReservedList}) and scope claims, in any letter case, are never copied ({converter}).");
            }
        }

        // Note: the allowed scopes are parsed only against limits that are themselves valid.
        var limitsValid = OptionRules.CheckLimits(failures, "ScopeTokenConverterOptions.Limits", options.Limits, converter);
        if (limitsValid && options.AllowedScopes is not null && !ScopeSet.TryParse(options.AllowedScopes, out _, options.Limits))
        {
            failures.Add($"ScopeTokenConverterOptions.AllowedScopes is not a valid space-delimited scope list within ScopeTokenConverterOptions.Limits ({converter}).");
        }

        if (options.MaxLifetime is { } lifetime)
        {
            OptionRules.CheckLifetime(failures, "ScopeTokenConverterOptions.MaxLifetime", lifetime, converter);
        }

        if (options.AllowEncryptedTokens && options.DecryptionKeys.Count == 0)
        {
            failures.Add($"ScopeTokenConverterOptions.AllowEncryptedTokens needs DecryptionKeys ({converter}).");
        }

        if (options.DecryptionKeys.Any(static k => k is null))
        {
            failures.Add($"ScopeTokenConverterOptions.DecryptionKeys holds a null key ({converter}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateIssuer(InboundIssuerOptions issuer, string at, string converter, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(issuer.Issuer))
        {
            failures.Add($"{at}.Issuer is required ({converter}).");
        }

        if (issuer.Audiences.Count == 0 || issuer.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{at}.Audiences needs at least one non-empty audience ({converter}).");
        }

        if (issuer.Algorithms.Count == 0)
        {
            failures.Add($"{at}.Algorithms needs at least one algorithm, e.g. RS256 ({converter}).");
        }

        foreach (var alg in issuer.Algorithms.Where(a => !TokenSigningAlgorithms.IsSupported(a)))
        {
            failures.Add($"{at}.Algorithms holds '{alg}', which is not one of {string.Join(", ", TokenSigningAlgorithms.All)} ({converter}).");
        }

        if (issuer.TokenTypes.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{at}.TokenTypes holds an empty value ({converter}).");
        }

        if (issuer.SigningKeys.Any(static k => k is null))
        {
            failures.Add($"{at}.SigningKeys holds a null key ({converter}).");
        }

        if (issuer.ClockSkew < TimeSpan.Zero || issuer.ClockSkew > MaxClockSkew)
        {
            failures.Add($"{at}.ClockSkew must be between 0 and 5 minutes ({converter}).");
        }

        if (issuer.MetadataRefreshInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{at}.MetadataRefreshInterval must be at least 1 second ({converter}).");
        }

        var sources = new List<string>();
        if (issuer.SigningKeys.Count > 0)
        {
            sources.Add(nameof(issuer.SigningKeys));
        }

        if (!string.IsNullOrWhiteSpace(issuer.JwksJson))
        {
            sources.Add(nameof(issuer.JwksJson));
        }

        if (!string.IsNullOrWhiteSpace(issuer.JwksPath))
        {
            sources.Add(nameof(issuer.JwksPath));
        }

        if (issuer.Authority is not null || issuer.MetadataAddress is not null)
        {
            sources.Add(nameof(issuer.Authority));
        }

        if (sources.Count != 1)
        {
            failures.Add(sources.Count == 0
                ? $"{at} has no key source: set exactly one of SigningKeys, JwksJson, JwksPath or Authority ({converter})."
                : $"{at} has several key sources ({string.Join(", ", sources)}); set exactly one ({converter}).");
        }

        CheckJwks(issuer, at, converter, failures);

        if (InboundIssuer.MetadataAddressOf(issuer) is { } address)
        {
            if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && !(address.Scheme == Uri.UriSchemeHttp && InboundIssuer.IsLoopback(address))))
            {
                failures.Add($"{at}.Authority must be an absolute https URL (http only for loopback) ({converter}).");
            }
        }
    }

    /// <summary>Loads a configured JWKS now, so a document that is not JSON, holds no key, or a file that is missing fails on start.</summary>
    private static void CheckJwks(InboundIssuerOptions issuer, string at, string converter, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(issuer.JwksJson))
        {
            TryRead(issuer.JwksJson, $"{at}.JwksJson", converter, failures);
        }

        if (!string.IsNullOrWhiteSpace(issuer.JwksPath))
        {
            if (!BoundedFile.TryReadText(issuer.JwksPath, out var json, out var failure))
            {
                failures.Add($"{at}.JwksPath {BoundedFile.Describe(issuer.JwksPath)} cannot be read: {failure} ({converter}).");
                return;
            }

            TryRead(json, $"{at}.JwksPath ({BoundedFile.Describe(issuer.JwksPath)})", converter, failures);
        }
    }

    private static void TryRead(string json, string source, string converter, List<string> failures)
    {
        try
        {
            InboundIssuer.ReadJwks(json, source);
        }
        catch (InvalidOperationException ex)
        {
            // Note: ReadJwks names the source (here the option path), never the document's content.
            failures.Add($"{ex.Message} ({converter})");
        }
    }
}
