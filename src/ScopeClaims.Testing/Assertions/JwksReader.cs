using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims.Testing.Internal;

/// <summary>Reads a public JWK set for validation with <see cref="StrictJwks"/>, turning its refusals into assertion failures.</summary>
internal static class JwksReader
{
    public static (IReadOnlyList<JsonWebKey> Keys, string Description) Read(string jwksJson, string check)
    {
        var result = StrictJwks.Read(jwksJson, StrictJwks.PrivateKeys.Refuse);
        switch (result.Error)
        {
            case StrictJwks.Error.None:
                return (result.Keys, Describe(result.Keys.Select(static k => (string?)k.Kid).ToArray()));
            case StrictJwks.Error.PrivateMember:
                // Note: only the member name is reported, never its value.
                throw Failure.Create(check, "the JWKS publishes private key material.", "a JWKS of public keys only", string.Create(CultureInfo.InvariantCulture, $"key {result.KeyIndex} has the private member \"{result.Member}\""));
            case StrictJwks.Error.NoUsableKey:
                throw Failure.Create(check, "the JWKS holds no usable signing key.", "a JWKS with at least one RSA or EC key for signatures (use \"sig\" or none, key_ops with \"verify\" or none)", result.Message!);
            default:
                throw Failure.Create(check, "the JWKS cannot be read.", "a JWK set: {\"keys\": [...]} of public keys, each member named once", result.Message!);
        }
    }

    public static string Describe(IReadOnlyCollection<string?> kids) => string.Create(
        CultureInfo.InvariantCulture,
        $"{kids.Count} key(s){(kids.Count == 0 ? string.Empty : ": " + string.Join(", ", kids.Select(k => "kid " + Failure.Quoted(k))))}");
}
