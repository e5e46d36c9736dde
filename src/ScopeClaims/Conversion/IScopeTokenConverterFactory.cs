namespace ScopeClaims;

/// <summary>Gives the converter registered under a name with <c>AddScopeTokenConverter</c>.</summary>
public interface IScopeTokenConverterFactory
{
    /// <summary>Gets a converter, made once per name and reused.</summary>
    /// <param name="name">The converter name; <see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the default one.</param>
    /// <returns>The converter.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Its options are invalid.</exception>
    IScopeTokenConverter GetConverter(string name);
}
