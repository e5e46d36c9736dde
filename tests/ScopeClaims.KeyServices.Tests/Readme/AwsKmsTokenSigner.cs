using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using ScopeClaims;

namespace ScopeClaims.KeyServices.Tests.Readme;

/// <summary>Signs with an asymmetric AWS KMS key (KeyUsage SIGN_VERIFY); the private key never leaves KMS.</summary>
public sealed class AwsKmsTokenSigner : TokenSigner
{
    private readonly IAmazonKeyManagementService _kms;
    private readonly string _keyId;
    private readonly SigningAlgorithmSpec _spec;

    private AwsKmsTokenSigner(IAmazonKeyManagementService kms, string keyId, AsymmetricAlgorithm publicKey, string algorithm, SigningAlgorithmSpec spec)
        : base(publicKey, algorithm) => (_kms, _keyId, _spec) = (kms, keyId, spec);

    public override string Description => "AWS KMS key";

    /// <summary>Reads the key's public half from KMS once, at start, and checks that it signs with the algorithm.</summary>
    public static async Task<AwsKmsTokenSigner> CreateAsync(IAmazonKeyManagementService kms, string keyId, string algorithm, CancellationToken cancellationToken = default)
    {
        var spec = algorithm switch
        {
            "RS256" => SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
            "PS256" => SigningAlgorithmSpec.RSASSA_PSS_SHA_256,
            "ES256" => SigningAlgorithmSpec.ECDSA_SHA_256,
            "ES384" => SigningAlgorithmSpec.ECDSA_SHA_384,
            _ => throw new ArgumentException($"The AWS KMS signer does not map {algorithm}.", nameof(algorithm)),
        };
        var key = await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId }, cancellationToken);
        if (key.KeyUsage != KeyUsageType.SIGN_VERIFY || key.SigningAlgorithms?.Contains(spec) != true)
        {
            throw new InvalidOperationException($"The AWS KMS key does not sign with {spec}.");
        }

        AsymmetricAlgorithm publicKey = algorithm[0] == 'E' ? ECDsa.Create() : RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.PublicKey.ToArray(), out _);
        return new AwsKmsTokenSigner(kms, keyId, publicKey, algorithm, spec);
    }

    public override async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        // Note: KMS signs RAW messages of up to 4,096 bytes itself; a longer signing input is hashed here and sent as a DIGEST.
        var (message, type) = input.Length <= 4096
            ? (input.ToArray(), MessageType.RAW)
            : (Digest(input.Span), MessageType.DIGEST);
        using var stream = new MemoryStream(message);
        var answer = await _kms.SignAsync(new SignRequest { KeyId = _keyId, Message = stream, MessageType = type, SigningAlgorithm = _spec }, cancellationToken);
        var signature = answer.Signature.ToArray();

        // Note: KMS returns ECDSA signatures in DER; JWS wants r || s.
        return Algorithm[0] == 'E' ? EcdsaSignatureFromDer(signature) : signature;
    }

    private byte[] Digest(ReadOnlySpan<byte> input) => Algorithm[^3..] == "384" ? SHA384.HashData(input) : SHA256.HashData(input);
}
