using System.Collections.Generic;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>One converter the endpoint exchanges through, with its target profile's issuer and audiences.</summary>
/// <param name="ConverterName">The converter's name; empty for the default converter.</param>
/// <param name="Converter">The converter.</param>
/// <param name="Issuer">The target profile's <c>iss</c>.</param>
/// <param name="Audiences">The target profile's audiences.</param>
internal sealed record TokenExchangeTarget(string ConverterName, IScopeTokenConverter Converter, string Issuer, IReadOnlyList<string> Audiences)
{
    /// <summary>Gets the name shown in logs: the converter's name, or <c>(default)</c>.</summary>
    public string DisplayName => ConverterName.Length == 0 ? "(default)" : ConverterName;
}
