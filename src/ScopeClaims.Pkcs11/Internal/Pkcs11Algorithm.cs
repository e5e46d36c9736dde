using System;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>How a JWS algorithm is signed on a PKCS#11 token: the key type it needs and the mechanism that signs it.</summary>
/// <remarks>
/// RS and PS hash inside the module (<c>CKM_SHA256_RSA_PKCS</c>, <c>CKM_SHA256_RSA_PKCS_PSS</c> with MGF1 over the same
/// hash and a salt as long as the hash, as RFC 7518 §3.5 requires). ES hashes with the platform and signs the digest
/// with <c>CKM_ECDSA</c>, which every module offers (SoftHSM2 2.6 has no <c>CKM_ECDSA_SHA256</c>); PKCS#11 returns ECDSA
/// signatures as <c>r || s</c>, the JWS form.
/// </remarks>
internal sealed record Pkcs11Algorithm(string Name, CKK KeyType, HashAlgorithmName Hash, int HashLength, CKM Mechanism, CKM HashMechanism, CKG Mgf, bool Pss)
{
    /// <summary>Gets a value indicating whether the platform hashes the input and the module signs the digest (ECDSA).</summary>
    public bool DigestFirst => KeyType == CKK.CKK_EC;

    /// <summary>Finds the signing recipe of a JWS algorithm, or <see langword="null"/> when PKCS#11 signing does not offer it.</summary>
    public static Pkcs11Algorithm? Find(string? algorithm) => algorithm switch
    {
        "RS256" => new("RS256", CKK.CKK_RSA, HashAlgorithmName.SHA256, 32, CKM.CKM_SHA256_RSA_PKCS, CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, Pss: false),
        "RS384" => new("RS384", CKK.CKK_RSA, HashAlgorithmName.SHA384, 48, CKM.CKM_SHA384_RSA_PKCS, CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, Pss: false),
        "RS512" => new("RS512", CKK.CKK_RSA, HashAlgorithmName.SHA512, 64, CKM.CKM_SHA512_RSA_PKCS, CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, Pss: false),
        "PS256" => new("PS256", CKK.CKK_RSA, HashAlgorithmName.SHA256, 32, CKM.CKM_SHA256_RSA_PKCS_PSS, CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, Pss: true),
        "PS384" => new("PS384", CKK.CKK_RSA, HashAlgorithmName.SHA384, 48, CKM.CKM_SHA384_RSA_PKCS_PSS, CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, Pss: true),
        "PS512" => new("PS512", CKK.CKK_RSA, HashAlgorithmName.SHA512, 64, CKM.CKM_SHA512_RSA_PKCS_PSS, CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, Pss: true),
        "ES256" => new("ES256", CKK.CKK_EC, HashAlgorithmName.SHA256, 32, CKM.CKM_ECDSA, CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, Pss: false),
        "ES384" => new("ES384", CKK.CKK_EC, HashAlgorithmName.SHA384, 48, CKM.CKM_ECDSA, CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, Pss: false),
        "ES512" => new("ES512", CKK.CKK_EC, HashAlgorithmName.SHA512, 64, CKM.CKM_ECDSA, CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, Pss: false),
        _ => null,
    };

    /// <summary>Makes the mechanism (with its PSS parameters); the caller disposes it.</summary>
    public IMechanism CreateMechanism(Pkcs11InteropFactories factories)
    {
        if (!Pss)
        {
            return factories.MechanismFactory.Create(Mechanism);
        }

        var parameters = factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams(
            ConvertUtils.UInt64FromCKM(HashMechanism), ConvertUtils.UInt64FromCKG(Mgf), (ulong)HashLength);
        return factories.MechanismFactory.Create(Mechanism, parameters);
    }

    /// <summary>The bytes the module signs: the signing input itself, or its digest for ECDSA.</summary>
    public byte[] DataToSign(ReadOnlySpan<byte> input) => !DigestFirst
        ? input.ToArray()
        : HashLength switch
        {
            32 => SHA256.HashData(input),
            48 => SHA384.HashData(input),
            _ => SHA512.HashData(input),
        };

    /// <summary>Verifies a signature with the public key, as a relying party would (the start-up pairwise check).</summary>
    public bool Verify(AsymmetricAlgorithm publicKey, byte[] data, byte[] signature) => publicKey switch
    {
        RSA rsa => rsa.VerifyData(data, signature, Hash, Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.VerifyData(data, signature, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => false,
    };
}
