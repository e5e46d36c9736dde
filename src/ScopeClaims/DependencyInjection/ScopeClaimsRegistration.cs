using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;

namespace ScopeClaims.Internal;

/// <summary>
/// One call of <c>AddArrayScopeTokens</c>/<c>AddScopeTokens</c> (a token profile) or <c>AddScopeTokenConverter</c> (a
/// converter), added to the services on every call, so validation can tell a name registered twice, or never, at start.
/// </summary>
internal sealed class ScopeClaimsRegistration
{
    public ScopeClaimsRegistration(Type optionsType, string name, IConfiguration? configuration = null, ScopeFormat? format = null)
    {
        OptionsType = optionsType;
        Name = name;
        Configuration = configuration;
        Format = format;
    }

    /// <summary>Gets <see cref="ScopeTokenOptions"/> for a profile, <see cref="ScopeTokenConverterOptions"/> for a converter.</summary>
    public Type OptionsType { get; }

    public string Name { get; }

    /// <summary>Gets the configuration section the call bound, or <see langword="null"/> for a call that took a delegate.</summary>
    public IConfiguration? Configuration { get; }

    /// <summary>Gets the one scope format the call allows: <see cref="ScopeFormat.Array"/> for <c>AddArrayScopeTokens</c>, else <see langword="null"/>.</summary>
    public ScopeFormat? Format { get; }

    /// <summary>The registrations of one name and kind.</summary>
    public static IEnumerable<ScopeClaimsRegistration> Of(IEnumerable<ScopeClaimsRegistration> registrations, Type optionsType, string name) =>
        registrations.Where(r => r.OptionsType == optionsType && string.Equals(r.Name, name, StringComparison.Ordinal));

    public static int Count(IEnumerable<ScopeClaimsRegistration> registrations, Type optionsType, string name) =>
        Of(registrations, optionsType, name).Count();

    /// <summary>The registered names of one kind, for messages: <c>'a', 'b'</c>, with the default name shown as <c>the default</c>.</summary>
    public static string Names(IEnumerable<ScopeClaimsRegistration> registrations, Type optionsType)
    {
        var names = registrations.Where(r => r.OptionsType == optionsType).Select(static r => r.Name.Length == 0 ? "the default" : $"'{r.Name}'").Distinct().ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
