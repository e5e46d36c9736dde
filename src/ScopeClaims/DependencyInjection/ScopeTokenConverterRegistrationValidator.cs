using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Internal;

/// <summary>
/// Checks what only the service collection knows about a converter: that its name was registered exactly once, that the
/// configuration it was bound from holds values that parse, that its
/// <see cref="ScopeTokenConverterOptions.ProfileName"/> is a registered profile, and that the profile can issue what the
/// converter asks of it (lifetime and scope limits). Runs with <see cref="ScopeTokenConverterOptionsValidator"/>.
/// </summary>
internal sealed class ScopeTokenConverterRegistrationValidator : IValidateOptions<ScopeTokenConverterOptions>
{
    private readonly IEnumerable<ScopeClaimsRegistration> _registrations;
    private readonly IServiceProvider _services;

    public ScopeTokenConverterRegistrationValidator(IEnumerable<ScopeClaimsRegistration> registrations, IServiceProvider services)
    {
        _registrations = registrations;
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, ScopeTokenConverterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        var converter = ScopeTokenConverterOptionsValidator.Describe(name);
        var failures = new List<string>();

        var count = ScopeClaimsRegistration.Count(_registrations, typeof(ScopeTokenConverterOptions), name);
        if (count == 0)
        {
            failures.Add($"ScopeTokenConverterOptions: {converter} is not registered; register it with AddScopeTokenConverter (registered converters: {ScopeClaimsRegistration.Names(_registrations, typeof(ScopeTokenConverterOptions))}).");
        }
        else if (count > 1)
        {
            var configure = name.Length == 0 ? "Options.DefaultName" : $"\"{name}\"";
            failures.Add($"ScopeTokenConverterOptions: {converter} is registered {count} times with AddScopeTokenConverter; register each converter once, and change a registered converter with services.Configure<ScopeTokenConverterOptions>({configure}, ...).");
        }

        foreach (var registration in ScopeClaimsRegistration.Of(_registrations, typeof(ScopeTokenConverterOptions), name))
        {
            if (registration.Configuration is { } configuration)
            {
                foreach (var problem in ScopeTokenConverterOptionsBinder.Problems(configuration))
                {
                    failures.Add($"{problem} ({converter})");
                }
            }
        }

        if (options.ProfileName is { } target)
        {
            CheckTarget(options, target, converter, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckTarget(ScopeTokenConverterOptions options, string target, string converter, List<string> failures)
    {
        var profile = target.Length == 0 ? "the default profile" : $"profile '{target}'";
        if (ScopeClaimsRegistration.Count(_registrations, typeof(ScopeTokenOptions), target) == 0)
        {
            var shown = target.Length == 0 ? "names the default profile, which" : $"'{target}' names a profile that";
            failures.Add($"ScopeTokenConverterOptions.ProfileName {shown} is not registered ({converter}); register it with AddArrayScopeTokens or AddScopeTokens (registered profiles: {ScopeClaimsRegistration.Names(_registrations, typeof(ScopeTokenOptions))}).");
            return;
        }

        ScopeTokenOptions issuing;
        try
        {
            issuing = _services.GetRequiredService<IOptionsMonitor<ScopeTokenOptions>>().Get(target);
        }
        catch (OptionsValidationException)
        {
            // Note: the profile's own validation reports its problems; nothing more can be compared here.
            return;
        }

        failures.AddRange(ScopeTokenConverterOptionsValidator.OwnIssuerFailures(options, issuing.Issuer, profile, converter));

        if (options.MaxLifetime is { } lifetime && lifetime > issuing.MaxLifetime)
        {
            failures.Add($"ScopeTokenConverterOptions.MaxLifetime ({lifetime}) exceeds ScopeTokenOptions.MaxLifetime ({issuing.MaxLifetime}) of {profile}, so every conversion would be refused ({converter}).");
        }

        if (options.Limits is { } limits && issuing.Limits is { } allowed)
        {
            Compare(failures, nameof(limits.MaxScopes), limits.MaxScopes, allowed.MaxScopes, profile, converter);
            Compare(failures, nameof(limits.MaxScopeLength), limits.MaxScopeLength, allowed.MaxScopeLength, profile, converter);
            Compare(failures, nameof(limits.MaxTotalLength), limits.MaxTotalLength, allowed.MaxTotalLength, profile, converter);
        }
    }

    private static void Compare(List<string> failures, string limit, int value, int allowed, string profile, string converter)
    {
        if (value > allowed)
        {
            failures.Add(FormattableString.Invariant($"ScopeTokenConverterOptions.Limits.{limit} ({value}) exceeds ScopeTokenOptions.Limits.{limit} ({allowed}) of {profile}, which would refuse to issue what the converter accepts ({converter})."));
        }
    }
}
