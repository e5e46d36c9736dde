using Microsoft.Extensions.Options;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>
/// The keys of every profile whose <see cref="SigningKeyOptions.Managed"/> is set: one key set holding the PKCS#11
/// key, made once and shared by those profiles, so they publish one JWKS entry and sign under one <c>kid</c>.
/// </summary>
/// <remarks>
/// A refused PKCS#11 option surfaces as an <see cref="OptionsValidationException"/> of <see cref="Pkcs11SigningKeyOptions"/>
/// rather than the <see cref="SigningKeyException"/> the interface documents: profile validation passes it on as it is.
/// </remarks>
internal sealed class Pkcs11ManagedSigningKeySource(Pkcs11SignerProvider provider, IOptions<Pkcs11SigningKeyOptions> options) : IManagedSigningKeySource
{
    private readonly object _gate = new();
    private SigningKeySet? _keys;

    public SigningKeySet GetSigningKeys(string profileName, ScopeTokenOptions profileOptions)
    {
        lock (_gate)
        {
            if (_keys is not null)
            {
                return _keys;
            }

            // Note: reading the options opens the signer (their validator does), and a refusal leaves here as the
            // OptionsValidationException of Pkcs11SigningKeyOptions itself, so the host stops with one exception
            // naming the PKCS#11 option rather than with that and a profile failure repeating it.
            var value = options.Value;
            return _keys = new SigningKeySet(TokenSigningKey.FromSigner(provider.Open(value), value.JwtKeyId));
        }
    }
}
