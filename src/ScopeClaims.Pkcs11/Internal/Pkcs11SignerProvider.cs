using System;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>The host's one PKCS#11 signer, opened once by start-up validation (or the first profile that asks) and closed with the host.</summary>
internal sealed class Pkcs11SignerProvider(ILoggerFactory? loggerFactory) : IDisposable
{
    private readonly object _gate = new();
    private Pkcs11TokenSigner? _signer;
    private bool _disposed;

    /// <summary>Opens the signer the first time; later calls return it. A refusal is not kept, so the next call opens again.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options or what they name cannot be used.</exception>
    public Pkcs11TokenSigner Open(Pkcs11SigningKeyOptions options)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _signer ??= Pkcs11TokenSigner.Open(options, loggerFactory?.CreateLogger("ScopeClaims.Pkcs11"));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _signer?.Dispose();
            _signer = null;
        }
    }
}
