using System.Security.Cryptography;
using ScopeClaims;

namespace ScopeClaims.Tests.Shared;

/// <summary>
/// A signer that holds its key in this process but signs only asynchronously, like a key service: every signature is
/// awaited (it yields first), counted, and may be held until released or cancelled.
/// </summary>
internal sealed class FakeRemoteSigner : TokenSigner
{
    private readonly AsymmetricAlgorithm _privateKey;
    private int _calls;

    private FakeRemoteSigner(AsymmetricAlgorithm privateKey, string algorithm)
        : base(privateKey, algorithm) => _privateKey = privateKey;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, each signature waits for this task (or the caller's cancellation) before signing.</summary>
    public Task? Hold { get; set; }

    /// <summary>When set, replaces the signature the signer returns.</summary>
    public Func<byte[], byte[]?>? Tamper { get; set; }

    /// <summary>Return ECDSA signatures in DER and convert them with <see cref="TokenSigner.EcdsaSignatureFromDer"/>, as a KMS signer does.</summary>
    public bool ViaDer { get; init; }

    public override string Description => "the fake key service";

    public static FakeRemoteSigner Ec(string algorithm = "ES256", bool viaDer = false) => new(ECDsa.Create(algorithm switch
    {
        "ES384" => ECCurve.NamedCurves.nistP384,
        "ES512" => ECCurve.NamedCurves.nistP521,
        _ => ECCurve.NamedCurves.nistP256,
    }), algorithm) { ViaDer = viaDer };

    public static FakeRemoteSigner Rsa(string algorithm = "RS256", int bits = 2048) => new(RSA.Create(bits), algorithm);

    public override async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await Task.Yield();
        if (Hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var signature = SignLocally(_privateKey, Algorithm, input.Span, ViaDer);
        if (ViaDer)
        {
            signature = EcdsaSignatureFromDer(signature);
        }

        return Tamper is { } tamper ? tamper(signature)! : signature;
    }

    /// <summary>Converts DER to JWS form, for the tests of the conversion itself.</summary>
    public byte[] FromDer(byte[] der) => EcdsaSignatureFromDer(der);

    public static byte[] SignLocally(AsymmetricAlgorithm key, string algorithm, ReadOnlySpan<byte> input, bool der = false)
    {
        var hash = algorithm[^3..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        return key switch
        {
            RSA rsa => rsa.SignData(input.ToArray(), hash, algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignData(input.ToArray(), hash, der ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new NotSupportedException(),
        };
    }
}

/// <summary>A signer that signs synchronously, like a PKCS#11 session: both Issue and IssueAsync use it without a task.</summary>
internal sealed class FakeLocalModuleSigner : TokenSigner
{
    private readonly AsymmetricAlgorithm _privateKey;
    private int _syncCalls;
    private int _asyncCalls;

    public FakeLocalModuleSigner(AsymmetricAlgorithm privateKey, string algorithm)
        : base(privateKey, algorithm) => _privateKey = privateKey;

    public int SyncCalls => Volatile.Read(ref _syncCalls);

    public int AsyncCalls => Volatile.Read(ref _asyncCalls);

    public override bool CanSignSynchronously => true;

    public override bool TrySign(ReadOnlySpan<byte> input, Span<byte> destination, out int bytesWritten)
    {
        Interlocked.Increment(ref _syncCalls);
        var signature = FakeRemoteSigner.SignLocally(_privateKey, Algorithm, input);
        bytesWritten = signature.Length;
        return signature.AsSpan().TryCopyTo(destination);
    }

    public override ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asyncCalls);
        return new(FakeRemoteSigner.SignLocally(_privateKey, Algorithm, input.Span));
    }
}
