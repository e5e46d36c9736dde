using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using ScopeClaims.Pkcs11.Internal;

namespace ScopeClaims.Pkcs11;

/// <summary>
/// A <see cref="TokenSigner"/> whose private key stays in a PKCS#11 module (an HSM, a cloud HSM, SoftHSM2): every
/// signature is a <c>C_Sign</c> on one of a bounded pool of sessions of a logged-in token. Make one with
/// <see cref="Open"/> (or let <c>AddPkcs11SigningKeys</c> make it) and wrap it with
/// <see cref="TokenSigningKey.FromSigner"/>.
/// </summary>
/// <remarks>
/// <para>
/// On open, the token, the PIN and the key are checked, the public key is read from the module and checked like a local
/// key's, and one signature is made and verified with it (a pairwise check, so a public key that is not the private
/// key's is never published). Each refusal is an <see cref="OptionsValidationException"/> naming the option; the PIN
/// is never in a message.
/// </para>
/// <para>
/// The signer signs synchronously (<see cref="CanSignSynchronously"/>), so both <c>Issue</c> and <c>IssueAsync</c> use
/// it. At most <see cref="Pkcs11SigningKeyOptions.MaxSessions"/> signatures run at once; the others wait up to
/// <see cref="Pkcs11SigningKeyOptions.SignTimeout"/>. When the module fails (a token removed, a device gone), the
/// signature fails with <see cref="Pkcs11SignerUnavailableException"/> and the signer reconnects, at most once every
/// <see cref="Pkcs11SigningKeyOptions.RetryInterval"/>, initializing the module again if needed; a reconnection that
/// finds a different public key is refused, so a replaced key never signs under the old <c>kid</c>.
/// </para>
/// </remarks>
public sealed class Pkcs11TokenSigner : TokenSigner, IDisposable
{
    private static readonly byte[] PairwiseInput = "ScopeClaims PKCS#11 pairwise check"u8.ToArray();

    private readonly Pkcs11Module _module;
    private readonly Pkcs11Settings _settings;
    private readonly IMechanism _mechanism;
    private readonly byte[] _publicKeyInfo;
    private readonly SemaphoreSlim _sessions;
    private readonly object _reconnectGate = new();
    private readonly string _description;
    private readonly ILogger _logger;
    private Pkcs11KeyConnection? _connection;
    private long _nextAttempt;
    private string _lastFailure = string.Empty;
    private int _disposed;

    private Pkcs11TokenSigner(Pkcs11Module module, Pkcs11Settings settings, Pkcs11KeyConnection connection, ILogger logger)
        : base(connection.PublicKey, settings.Algorithm.Name)
    {
        _logger = logger;
        _module = module;
        _settings = settings;
        _connection = connection;
        _publicKeyInfo = connection.PublicKeyInfo;
        _mechanism = settings.Algorithm.CreateMechanism(Pkcs11Module.Factories);
        _sessions = new SemaphoreSlim(settings.MaxSessions, settings.MaxSessions);
        _description = $"PKCS#11 {settings.KeyDescription}";
    }

    /// <inheritdoc/>
    public override bool CanSignSynchronously => true;

    /// <summary>Gets where the key is: its label or id and its token, never the PIN.</summary>
    public override string Description => _description;

    /// <summary>Opens the module, logs in to the token, finds the key, reads its public key and checks the pair.</summary>
    /// <param name="options">Where the key is.</param>
    /// <param name="logger">Where the signer reports that the module became unavailable and that it reconnected, or <see langword="null"/> for none.</param>
    /// <returns>The signer; dispose it to close its sessions.</returns>
    /// <exception cref="OptionsValidationException">
    /// An option is wrong or what it names cannot be used: a missing file or one that is not a PKCS#11 library, a
    /// missing token, a refused PIN, a missing key, a key of the wrong type or size, an extractable key without
    /// <see cref="Pkcs11SigningKeyOptions.AllowExtractableKey"/>, a public key that does not match the private key.
    /// Each failure names its option; none shows the PIN.
    /// </exception>
    public static Pkcs11TokenSigner Open(Pkcs11SigningKeyOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Pkcs11Settings.Check(options, out var settings);
        if (settings is null)
        {
            throw Refused(failures.ToArray());
        }

        Pkcs11Module? module = null;
        Pkcs11KeyConnection? connection = null;
        Pkcs11TokenSigner? signer = null;
        try
        {
            module = Pkcs11Module.Acquire(settings.LibraryPath);
            connection = Pkcs11KeyConnection.Open(module, settings);
            try
            {
                signer = new Pkcs11TokenSigner(module, settings, connection, logger ?? NullLogger.Instance);
            }
            catch (SigningKeyException ex)
            {
                throw new Pkcs11ConnectException(settings.KeyOption, $"The {settings.KeyDescription} does not fit Algorithm {settings.Algorithm.Name}: {ex.Message}");
            }

            signer.CheckPair();
            return signer;
        }
        catch (Exception ex) when (ex is Pkcs11ConnectException or Pkcs11Exception or CryptographicException or Pkcs11SignerUnavailableException)
        {
            // Note: once made, the signer owns the connection and its reference to the module.
            if (signer is not null)
            {
                signer.Dispose();
            }
            else
            {
                connection?.Dispose();
                module?.Release();
            }

            throw ex switch
            {
                Pkcs11ConnectException refusal => Refused($"Pkcs11SigningKeyOptions.{refusal.Option}: {refusal.Message}"),
                Pkcs11Exception failure => Refused($"Pkcs11SigningKeyOptions.LibraryPath: the module failed ({failure.Method} returned {failure.RV}) while opening the {settings.KeyDescription}."),
                Pkcs11SignerUnavailableException unavailable => Refused($"Pkcs11SigningKeyOptions.LibraryPath: the {settings.KeyDescription} could not sign while opening: {unavailable.Message}"),
                _ => Refused($"Pkcs11SigningKeyOptions.{settings.KeyOption}: the public key of the {settings.KeyDescription} cannot be used ({ex.GetType().Name})."),
            };
        }
    }

    /// <inheritdoc/>
    /// <exception cref="Pkcs11SignerUnavailableException">No session became free in time, or the module or token is unavailable; nothing was signed.</exception>
    public override bool TrySign(ReadOnlySpan<byte> input, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < SignatureSize)
        {
            return false;
        }

        var signature = Sign(_settings.Algorithm.DataToSign(input));
        signature.CopyTo(destination);
        bytesWritten = signature.Length;
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>Signs synchronously, as <see cref="TrySign"/> does; PKCS#11 has no asynchronous call, and no way to abandon one in progress.</remarks>
    /// <exception cref="Pkcs11SignerUnavailableException">No session became free in time, or the module or token is unavailable; nothing was signed.</exception>
    public override ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<byte[]>(Sign(_settings.Algorithm.DataToSign(input.Span)));
    }

    /// <summary>Closes the signer's sessions and releases the module (finalized when no other signer of the process uses it).</summary>
    /// <remarks>Signatures in progress must have finished; safe to call more than once.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_reconnectGate)
        {
            _connection?.Dispose();
            _connection = null;
        }

        _mechanism.Dispose();
        _module.Release();
        _sessions.Dispose();
    }

    private static OptionsValidationException Refused(params string[] failures) =>
        new(Options.DefaultName, typeof(Pkcs11SigningKeyOptions), failures);

    private void CheckPair()
    {
        var data = _settings.Algorithm.DataToSign(PairwiseInput);
        var signature = Sign(data);
        var publicKey = PublicKey switch
        {
            Microsoft.IdentityModel.Tokens.RsaSecurityKey rsa => (AsymmetricAlgorithm)rsa.Rsa,
            Microsoft.IdentityModel.Tokens.ECDsaSecurityKey ec => ec.ECDsa,
            _ => null,
        };
        if (signature.Length != SignatureSize || publicKey is null || !_settings.Algorithm.Verify(publicKey, PairwiseInput, signature))
        {
            throw new Pkcs11ConnectException(_settings.KeyOption, $"The signature of the {_settings.KeyDescription} does not verify with the public key read from the token (pairwise check); the token's public key object does not belong to this private key.");
        }
    }

    private byte[] Sign(byte[] data)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (!_sessions.Wait(_settings.SignTimeout))
        {
            throw new Pkcs11SignerUnavailableException($"No session of the {_description} became free within SignTimeout ({_settings.SignTimeout}); nothing was signed.");
        }

        try
        {
            // Note: a connection made before another signer initialized the module again is replaced once, without a failure.
            for (var attempt = 0; ; attempt++)
            {
                var connection = Current();
                _module.EnterCall();
                try
                {
                    if (!connection.IsUsable)
                    {
                        if (attempt == 0)
                        {
                            continue;
                        }

                        throw new Pkcs11SignerUnavailableException($"The {_description} was reset while signing; nothing was signed.");
                    }

                    var signature = connection.Sign(_mechanism, data);
                    return signature.Length == SignatureSize
                        ? signature
                        : throw new CryptographicException($"The {_description} returned a signature of {signature.Length} bytes; {_settings.Algorithm.Name} signatures of this key are {SignatureSize} bytes.");
                }
                catch (Pkcs11Exception ex)
                {
                    Log.Unavailable(_logger, _settings.KeyDescription, $"{ex.Method} returned {ex.RV}");
                    throw new Pkcs11SignerUnavailableException($"The {_description} is unavailable: {ex.Method} returned {ex.RV}; nothing was signed. The signer reconnects (at most once every {_settings.RetryInterval}).", ex);
                }
                finally
                {
                    _module.ExitCall();
                }
            }
        }
        finally
        {
            _sessions.Release();
        }
    }

    /// <summary>The usable connection, reconnecting (at most once every RetryInterval) when the last one failed.</summary>
    private Pkcs11KeyConnection Current()
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is not null && connection.IsUsable)
        {
            return connection;
        }

        lock (_reconnectGate)
        {
            ObjectDisposedException.ThrowIf(_disposed == 1, this);
            connection = _connection;
            if (connection is not null && connection.IsUsable)
            {
                return connection;
            }

            // Note: a connection dropped only because another signer initialized the module again is remade at once.
            var failed = connection is null || !connection.IsUsable && connection.Generation == _module.Generation;
            var now = Stopwatch.GetTimestamp();
            if (failed && now < _nextAttempt)
            {
                throw new Pkcs11SignerUnavailableException($"The {_description} is unavailable ({_lastFailure}); nothing was signed. The next reconnection is within {_settings.RetryInterval}.");
            }

            _nextAttempt = now + (long)(_settings.RetryInterval.TotalSeconds * Stopwatch.Frequency);
            _connection = null;
            connection?.Dispose();
            var fresh = Reconnect();
            Volatile.Write(ref _connection, fresh);
            return fresh;
        }
    }

    private Pkcs11KeyConnection Reconnect()
    {
        var generation = _module.Generation;
        Pkcs11KeyConnection fresh;
        try
        {
            try
            {
                fresh = Pkcs11KeyConnection.Open(_module, _settings);
            }
            catch (Exception ex) when (ex is Pkcs11Exception or Pkcs11ConnectException)
            {
                // Note: most modules (SoftHSM2 among them) see a token that has returned only after C_Initialize again.
                _module.Reload(generation, _settings.SignTimeout);
                fresh = Pkcs11KeyConnection.Open(_module, _settings);
            }
        }
        catch (Exception ex) when (ex is Pkcs11Exception or Pkcs11ConnectException or CryptographicException)
        {
            _lastFailure = ex switch
            {
                Pkcs11Exception failure => $"{failure.Method} returned {failure.RV}",
                Pkcs11ConnectException refusal => refusal.Message,
                _ => ex.GetType().Name,
            };
            Log.ReconnectFailed(_logger, _settings.KeyDescription, _lastFailure, _settings.RetryInterval);
            throw new Pkcs11SignerUnavailableException($"The {_description} is unavailable ({_lastFailure}); nothing was signed. The signer reconnects at most once every {_settings.RetryInterval}.", ex);
        }

        if (!fresh.PublicKeyInfo.AsSpan().SequenceEqual(_publicKeyInfo))
        {
            fresh.Dispose();
            Log.KeyChanged(_logger, _settings.KeyDescription);
            _lastFailure = "the key found after reconnecting is not the key the signer started with, so it does not sign under this kid; restart the application to publish the new key";
            throw new Pkcs11SignerUnavailableException($"The {_description} is refused: {_lastFailure}; nothing was signed.");
        }

        Log.Reconnected(_logger, _settings.KeyDescription);
        return fresh;
    }
}
