using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>
/// Checks what only the service collection knows about a token profile: that its name was registered exactly once, that
/// the configuration it was bound from holds values that parse, and that the scope serializer it will use declares usable
/// claim names. Runs with <see cref="ScopeTokenOptionsValidator"/>, so a host that starts lists these problems with the
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
}
