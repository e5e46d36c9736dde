using Microsoft.Extensions.Configuration;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>A configuration section the options were bound from, so start-up validation can report values that did not parse.</summary>
internal sealed class Pkcs11OptionsConfiguration(IConfiguration configuration)
{
    public IConfiguration Configuration { get; } = configuration;
}
