using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace ScopeClaims.Pkcs11.Internal;

// Finding the private key and reading its public half: the key must be what the algorithm needs and must not leave the token.
internal sealed partial class Pkcs11KeyConnection
{
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";
    private const string P521 = "1.3.132.0.35";

    private static IObjectHandle FindPrivateKey(ISession session, Pkcs11Settings settings)
    {
        var keys = session.FindAllObjects(Template(CKO.CKO_PRIVATE_KEY, settings.KeyLabel, settings.KeyId));
        if (keys.Count != 1)
        {
            throw new Pkcs11ConnectException(
                settings.KeyOption,
                keys.Count == 0
                    ? $"No private {settings.KeyDescription} (after login); check {settings.KeyOption}."
                    : $"{keys.Count} private keys match {settings.KeyDescription}; set KeyLabel and KeyId so exactly one does.");
        }

        var key = keys[0];
        var attributes = session.GetAttributeValue(key, [CKA.CKA_KEY_TYPE, CKA.CKA_SIGN, CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE]);
        var keyType = (CKK)attributes[0].GetValueAsUlong();
        if (keyType != settings.Algorithm.KeyType)
        {
            throw new Pkcs11ConnectException(
                nameof(settings.Algorithm),
                $"The {settings.KeyDescription} is of type {keyType}; {settings.Algorithm.Name} needs a {(settings.Algorithm.KeyType == CKK.CKK_RSA ? "RSA" : "EC")} key (check Algorithm and {settings.KeyOption}).");
        }

        if (!attributes[1].GetValueAsBool())
        {
            throw new Pkcs11ConnectException(settings.KeyOption, $"The {settings.KeyDescription} may not sign (CKA_SIGN is false).");
        }

        var extractable = attributes[2].CannotBeRead || attributes[2].GetValueAsBool();
        var sensitive = !attributes[3].CannotBeRead && attributes[3].GetValueAsBool();
        if ((extractable || !sensitive) && !settings.AllowExtractableKey)
        {
            throw new Pkcs11ConnectException(
                nameof(Pkcs11SigningKeyOptions.AllowExtractableKey),
                $"The {settings.KeyDescription} can leave the token (CKA_EXTRACTABLE {(extractable ? "true" : "false")}, CKA_SENSITIVE {(sensitive ? "true" : "false")}); generate a non-extractable, sensitive key, or set AllowExtractableKey to accept it (not for production).");
        }

        return key;
    }

    private static AsymmetricAlgorithm ReadPublicKey(ISession session, IObjectHandle privateKey, Pkcs11Settings settings)
    {
        if (settings.Algorithm.KeyType == CKK.CKK_RSA)
        {
            // Note: the modulus and public exponent are public attributes of an RSA private key object (PKCS#11 §2.1.4).
            var rsa = session.GetAttributeValue(privateKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            if (rsa[0].CannotBeRead || rsa[1].CannotBeRead)
            {
                throw new Pkcs11ConnectException(settings.KeyOption, $"The token does not show the modulus and public exponent of the {settings.KeyDescription}.");
            }

            var key = RSA.Create();
            key.ImportParameters(new RSAParameters { Modulus = rsa[0].GetValueAsByteArray(), Exponent = rsa[1].GetValueAsByteArray() });
            return key;
        }

        // Note: an EC private key has no point; the public key object with the same CKA_ID (or label) holds it.
        var ids = session.GetAttributeValue(privateKey, [CKA.CKA_ID, CKA.CKA_LABEL]);
        var id = ids[0].CannotBeRead ? [] : ids[0].GetValueAsByteArray() ?? [];
        var label = ids[1].CannotBeRead ? null : ids[1].GetValueAsString();
        var publicKeys = session.FindAllObjects(id.Length > 0 ? Template(CKO.CKO_PUBLIC_KEY, null, id) : Template(CKO.CKO_PUBLIC_KEY, label, null));
        if (publicKeys.Count != 1)
        {
            throw new Pkcs11ConnectException(
                settings.KeyOption,
                $"{(publicKeys.Count == 0 ? "No" : publicKeys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} public key object{(publicKeys.Count == 1 ? string.Empty : "s")} with the CKA_ID (or label) of the {settings.KeyDescription}; the JWKS needs exactly one to read the EC point from.");
        }

        var ec = session.GetAttributeValue(publicKeys[0], [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        var parameters = new ECParameters { Curve = Curve(ec[0].GetValueAsByteArray(), settings) };
        var point = Point(ec[1].GetValueAsByteArray(), settings);
        var field = (point.Length - 1) / 2;
        parameters.Q = new ECPoint { X = point.AsSpan(1, field).ToArray(), Y = point.AsSpan(1 + field, field).ToArray() };
        var ecdsa = ECDsa.Create();
        ecdsa.ImportParameters(parameters);
        return ecdsa;
    }

    private static ECCurve Curve(byte[]? der, Pkcs11Settings settings)
    {
        string oid;
        try
        {
            var reader = new AsnReader(der ?? [], AsnEncodingRules.DER);
            oid = reader.ReadObjectIdentifier();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            throw new Pkcs11ConnectException(settings.KeyOption, $"The CKA_EC_PARAMS of the {settings.KeyDescription} is not a named curve (only P-256, P-384 and P-521 are used).");
        }

        return oid switch
        {
            P256 => ECCurve.NamedCurves.nistP256,
            P384 => ECCurve.NamedCurves.nistP384,
            P521 => ECCurve.NamedCurves.nistP521,
            _ => throw new Pkcs11ConnectException(settings.KeyOption, $"The {settings.KeyDescription} is on curve {oid}; ES256, ES384 and ES512 use P-256, P-384 and P-521."),
        };
    }

    private static byte[] Point(byte[]? der, Pkcs11Settings settings)
    {
        // Note: CKA_EC_POINT is the DER OCTET STRING of the uncompressed point 04 || X || Y (PKCS#11 §2.3.3).
        try
        {
            var reader = new AsnReader(der ?? [], AsnEncodingRules.DER);
            var point = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            if (point.Length >= 3 && point[0] == 0x04 && point.Length % 2 == 1)
            {
                return point;
            }
        }
        catch (AsnContentException)
        {
        }

        throw new Pkcs11ConnectException(settings.KeyOption, $"The CKA_EC_POINT of the {settings.KeyDescription} is not a DER OCTET STRING holding an uncompressed point.");
    }

    private static List<IObjectAttribute> Template(CKO objectClass, string? label, byte[]? id)
    {
        var factory = Pkcs11Module.Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute> { factory.Create(CKA.CKA_CLASS, objectClass) };
        if (label is not null)
        {
            template.Add(factory.Create(CKA.CKA_LABEL, label));
        }

        if (id is not null)
        {
            template.Add(factory.Create(CKA.CKA_ID, id));
        }

        return template;
    }
}
