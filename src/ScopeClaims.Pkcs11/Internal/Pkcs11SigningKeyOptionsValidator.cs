using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>
/// Checks the options on start by opening the signer: every problem of the options at once, then what the module says
/// (token, PIN, key, pairwise check), each naming its option and never the PIN.
/// </summary>
internal sealed class Pkcs11SigningKeyOptionsValidator(IServiceProvider services) : IValidateOptions<Pkcs11SigningKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, Pkcs11SigningKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = services.GetServices<Pkcs11OptionsConfiguration>().SelectMany(static c => Pkcs11OptionsBinder.Problems(c.Configuration)).ToList();
        if (failures.Count > 0)
        {
            return ValidateOptionsResult.Fail(failures);
        }

        try
        {
            services.GetRequiredService<Pkcs11SignerProvider>().Open(options);
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Failures);
        }
    }
}
