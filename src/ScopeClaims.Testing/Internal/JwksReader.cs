using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing.Internal;

/// <summary>Reads a public JWK set for validation, refusing one that publishes private key material.</summary>
internal static class JwksReader
{
    // RFC 7518 §6.2.2, §6.3.2 and §6.4.1: members that only a private or symmetric key has.
    private static readonly string[] s_privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public static (IReadOnlyList<SecurityKey> Keys, string Description) Read(string jwksJson, string check)
    {
        var kids = new List<string?>();
        try
        {
            using var document = JsonDocument.Parse(jwksJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw Unreadable(check, "it is not a JSON object with a \"keys\" array (RFC 7517 §5)");
            }

            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object)
                {
                    throw Unreadable(check, string.Create(CultureInfo.InvariantCulture, $"key {index} is not a JSON object"));
                }

                if (s_privateMembers.FirstOrDefault(m => key.TryGetProperty(m, out _)) is { } member)
                {
                    // Note: only the member name is reported, never its value.
                    throw Failure.Create(check, "the JWKS publishes private key material.", "a JWKS of public keys only", string.Create(CultureInfo.InvariantCulture, $"key {index} has the private member \"{member}\""));
                }

                kids.Add(key.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null);
                index++;
            }
        }
        catch (JsonException)
        {
            throw Unreadable(check, "it is not well-formed JSON");
        }
        catch (InvalidOperationException)
        {
            // Note: an escaped lone surrogate ("\uD800") parses, but reading it (or a property next to it) throws this.
            throw Unreadable(check, "it holds a string that is not valid Unicode (an escaped lone surrogate)");
        }

        IList<SecurityKey> signingKeys;
        try
        {
            signingKeys = new JsonWebKeySet(jwksJson).GetSigningKeys();
        }
        catch (ArgumentException)
        {
            throw Unreadable(check, "Microsoft.IdentityModel cannot read it as a JWK set");
        }

        if (signingKeys.Count == 0)
        {
            throw Failure.Create(check, "the JWKS holds no usable signing key.", "a JWKS with at least one RSA or EC signing key", Describe(kids));
        }

        return (signingKeys.ToArray(), Describe(kids));
    }

    public static string Describe(IReadOnlyCollection<string?> kids) => string.Create(
        CultureInfo.InvariantCulture,
        $"{kids.Count} key(s){(kids.Count == 0 ? string.Empty : ": " + string.Join(", ", kids.Select(k => "kid " + Failure.Quoted(k))))}");

    private static ScopeTokenAssertionException Unreadable(string check, string why) =>
        Failure.Create(check, "the JWKS cannot be read.", "a JWK set: {\"keys\": [...]}", why);
}
