using System;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// Lets Microsoft.IdentityModel's handlers sign with a key made by <see cref="TokenSigningKey.FromSigner"/>: the
/// <see cref="TokenSigningKey.Credentials"/> of such a key carry this provider, whose signature provider calls the
/// signer synchronously, and only for that key and algorithm.
/// </summary>
internal sealed class SignerCryptoProvider(TokenSigningKey key) : ICryptoProvider
{
    public bool IsSupportedAlgorithm(string algorithm, params object[] args) =>
        string.Equals(algorithm, key.Algorithm, StringComparison.Ordinal) && args.Length > 0 && ReferenceEquals(args[0], key.Key);

    public object Create(string algorithm, params object[] args) => IsSupportedAlgorithm(algorithm, args)
        ? new Provider(key)
        : throw new NotSupportedException($"The credentials of kid '{key.KeyId}' sign only with {key.Algorithm}.");

    public void Release(object cryptoInstance)
    {
        if (cryptoInstance is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private sealed class Provider(TokenSigningKey key) : SignatureProvider(key.Key, key.Algorithm)
    {
        public override byte[] Sign(byte[] input)
        {
            ArgumentNullException.ThrowIfNull(input);
            var signature = new byte[key.MaxSignatureSize];
            var written = key.Sign(input, signature);
            return written == signature.Length ? signature : signature.AsSpan(0, written).ToArray();
        }

        public override bool Sign(ReadOnlySpan<byte> data, Span<byte> destination, out int bytesWritten)
        {
            if (destination.Length < key.MaxSignatureSize)
            {
                bytesWritten = 0;
                return false;
            }

            bytesWritten = key.Sign(data, destination);
            return true;
        }

        // Note: these credentials sign; verifying goes through the public key like any other (GetVerificationKeys).
        public override bool Verify(byte[] input, byte[] signature) =>
            throw new NotSupportedException("Signing credentials of a TokenSigner do not verify; verify with the public key.");

        protected override void Dispose(bool disposing)
        {
        }
    }
}
