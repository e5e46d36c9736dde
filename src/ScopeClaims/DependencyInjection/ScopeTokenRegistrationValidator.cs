using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>
/// Checks what only the service collection knows about a token profile: that its name was registered exactly once, that
/// the configuration it was bound from holds values that parse (and, for <c>AddArrayScopeTokens</c>, no other format than
/// Array), and that the scope serializer it will use declares usable claim names. Runs with <see cref="ScopeTokenOptionsValidator"/>, so a host that starts lists these problems with the
/// others.
/// </summary>
internal sealed class ScopeTokenRegistrationValidator : IValidateOptions<ScopeTokenOptions>
{
    private readonly IEnumerable<ScopeClaimsRegistration> _registrations;
    private readonly IServiceProvider _services;

    public ScopeTokenRegistrationValidator(IEnumerable<ScopeClaimsRegistration> registrations, IServiceProvider services)
    {
        _registrations = registrations;
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, ScopeTokenOptions options)
    {
        name ??= Options.DefaultName;
        var profile = name.Length == 0 ? "the default profile" : $"profile '{name}'";
        var failures = new List<string>();

        var count = ScopeClaimsRegistration.Count(_registrations, typeof(ScopeTokenOptions), name);
        if (count == 0)
        {
            failures.Add($"ScopeTokenOptions: {profile} is not registered; register it with AddArrayScopeTokens or AddScopeTokens (registered profiles: {ScopeClaimsRegistration.Names(_registrations, typeof(ScopeTokenOptions))}).");
        }
        else if (count > 1)
        {
            // Note: two registrations of one name would merge (issuer and key from the last, audiences from all), so a
            // token meant for one partner would name another. Refused rather than merged or silently replaced.
            var configure = name.Length == 0 ? "Options.DefaultName" : $"\"{name}\"";
            failures.Add($"ScopeTokenOptions: {profile} is registered {count} times with AddArrayScopeTokens/AddScopeTokens; register each profile once, and change a registered profile with services.Configure<ScopeTokenOptions>({configure}, ...).");
        }

        foreach (var registration in ScopeClaimsRegistration.Of(_registrations, typeof(ScopeTokenOptions), name))
        {
            if (registration.Configuration is { } configuration)
            {
                foreach (var problem in ScopeTokenOptionsBinder.Problems(configuration))
                {
                    failures.Add($"{problem} ({profile})");
                }

                if (registration.Format is { } required && ConfiguredFormat(configuration) is { } configured && configured.Format != required)
                {
                    failures.Add($"Configuration value '{configured.Path}' is '{configured.Value}', but AddArrayScopeTokens registers a profile that issues scopes as a JSON array ({profile}); remove the value or set it to Array, or register the profile with AddScopeTokens(name, configuration) to take its format from configuration.");
                }
            }
        }

        if (ScopeTokenIssuerFactory.ResolveSerializer(_services, name) is { } serializer)
        {
            foreach (var problem in ClaimNameRules.CheckSerializer(serializer, out _))
            {
                failures.Add($"{problem} ({profile})");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The refusal of a format other than Array chosen by the delegate given to <c>AddArrayScopeTokens</c>.</summary>
    internal static string NotArray(string name, ScopeFormat format)
    {
        var profile = name.Length == 0 ? "the default profile" : $"profile '{name}'";
        var register = name.Length == 0 ? "Options.DefaultName" : $"\"{name}\"";
        return $"ScopeTokenOptions.Format is {format}, but AddArrayScopeTokens registers a profile that issues scopes as a JSON array ({profile}); leave Format as Array, or register the profile with AddScopeTokens({register}, ScopeFormat.{format}, ...).";
    }

    /// <summary>The <c>Format</c> a configuration section sets, with its path, when it names a defined format (one that does not parse is a binding problem).</summary>
    private static (ScopeFormat Format, string Value, string Path)? ConfiguredFormat(IConfiguration configuration)
    {
        const string Key = nameof(ScopeTokenOptions.Format);
        return configuration[Key] is { } value && Enum.TryParse<ScopeFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format)
            ? (format, value, configuration is IConfigurationSection section ? $"{section.Path}:{Key}" : Key)
            : null;
    }
}
