namespace ScopeClaims;

/// <summary>Gives the issuer of a named profile registered with <c>AddScopeTokens</c> or <c>AddArrayScopeTokens</c>.</summary>
public interface IScopeTokenIssuerFactory
{
    /// <summary>Gets the issuer of a profile. The issuer is made once per name and reused.</summary>
    /// <param name="name">The profile name; <see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the default profile.</param>
    /// <returns>The issuer.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The profile's options are invalid or missing.</exception>
    IScopeTokenIssuer GetIssuer(string name);
}
