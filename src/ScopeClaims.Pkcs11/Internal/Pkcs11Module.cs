using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>
/// One loaded PKCS#11 module, shared by every signer of the process that names the same library file: PKCS#11 is
/// initialized once per process (<c>C_Initialize</c>), so two signers on one module must not finalize it under each other.
/// </summary>
/// <remarks>
/// A module that lost its token is loaded again (<see cref="Reload"/>: <c>C_Finalize</c>, then <c>C_Initialize</c>),
/// since most modules, SoftHSM2 among them, see a token that returns only when initialized again. Every call into the
/// module runs inside <see cref="EnterCall"/>/<see cref="ExitCall"/>, so a reload waits for calls in progress and no
/// call reaches a finalized module; each reload increments <see cref="Generation"/>, and sessions and object handles of
/// an older generation are dropped, never closed (their numbers may belong to new sessions).
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Shared by reference count: the last Release finalizes the module and disposes the lock.")]
internal sealed class Pkcs11Module
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<string, Pkcs11Module> s_modules = new(StringComparer.Ordinal);

    private readonly ReaderWriterLockSlim _calls = new(LockRecursionPolicy.NoRecursion);
    private readonly string _path;
    private readonly ConcurrentDictionary<ulong, byte[]> _logins = new();
    private IPkcs11Library? _library;
    private int _generation;
    private int _references;

    private Pkcs11Module(string path, IPkcs11Library library)
    {
        _path = path;
        _library = library;
    }

    /// <summary>Gets the factories of Pkcs11Interop's high-level API.</summary>
    public static Pkcs11InteropFactories Factories { get; } = new();

    /// <summary>Gets the number of times the module has been initialized again.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Gets the loaded library; only inside <see cref="EnterCall"/>.</summary>
    /// <exception cref="Pkcs11ConnectException">Initializing the module again failed (its file gone, its initialization refused); the next <see cref="Reload"/> tries again.</exception>
    public IPkcs11Library Library => _library
        ?? throw new Pkcs11ConnectException(nameof(Pkcs11SigningKeyOptions.LibraryPath), $"The PKCS#11 module '{_path}' is not loaded: initializing it again failed.");

    /// <summary>Loads the module at <paramref name="path"/>, or takes another reference to it if this process has loaded it.</summary>
    /// <exception cref="Pkcs11ConnectException">The file is missing or is not a PKCS#11 library.</exception>
    public static Pkcs11Module Acquire(string path)
    {
        var fullPath = Path.GetFullPath(path);
        lock (s_gate)
        {
            if (!s_modules.TryGetValue(fullPath, out var module))
            {
                module = new Pkcs11Module(fullPath, Load(fullPath));
                s_modules.Add(fullPath, module);
            }

            module._references++;
            return module;
        }
    }

    /// <summary>Drops a reference; the last one finalizes and unloads the module.</summary>
    public void Release()
    {
        lock (s_gate)
        {
            if (--_references > 0)
            {
                return;
            }

            s_modules.Remove(_path);
        }

        _calls.EnterWriteLock();
        try
        {
            var library = _library;
            _library = null;
            Interlocked.Increment(ref _generation);
            DisposeQuietly(library);
        }
        finally
        {
            _calls.ExitWriteLock();
        }

        _calls.Dispose();
    }

    /// <summary>Remembers (as a SHA-256 digest) the PIN that logged this process in to the token in <paramref name="slotId"/>.</summary>
    public void RememberLogin(ulong slotId, string pin) => _logins[slotId] = SHA256.HashData(Encoding.UTF8.GetBytes(pin));

    /// <summary>
    /// Whether <paramref name="pin"/> is the PIN this process logged in to the token with: a token already logged in
    /// answers another login <c>CKR_USER_ALREADY_LOGGED_IN</c> without checking the PIN. <see langword="null"/> when
    /// the login was made by other code of the process.
    /// </summary>
    public bool? IsLoginPin(ulong slotId, string pin) =>
        _logins.TryGetValue(slotId, out var digest) ? CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(pin))) : null;

    /// <summary>Enters a call into the module; a reload waits until every call has left.</summary>
    public void EnterCall() => _calls.EnterReadLock();

    /// <summary>Leaves a call into the module.</summary>
    public void ExitCall() => _calls.ExitReadLock();

    /// <summary>Finalizes and initializes the module again, unless another signer already did since <paramref name="seenGeneration"/>.</summary>
    /// <exception cref="Pkcs11ConnectException">The calls in progress did not finish within <paramref name="wait"/>, or the module cannot be loaded again.</exception>
    public void Reload(int seenGeneration, TimeSpan wait)
    {
        if (!_calls.TryEnterWriteLock(wait))
        {
            throw new Pkcs11ConnectException(nameof(Pkcs11SigningKeyOptions.LibraryPath), "The PKCS#11 module could not be initialized again: calls into it did not finish in time.");
        }

        try
        {
            // Note: a module that failed to load again is loaded whatever the generation; one that another signer has
            // initialized again since seenGeneration is left as it is.
            if (_library is not null && _generation != seenGeneration)
            {
                return;
            }

            Interlocked.Increment(ref _generation);
            DisposeQuietly(_library);
            _library = null;
            _logins.Clear();
            _library = Load(_path);
        }
        finally
        {
            _calls.ExitWriteLock();
        }
    }

    private static IPkcs11Library Load(string fullPath)
    {
        const string option = nameof(Pkcs11SigningKeyOptions.LibraryPath);
        if (!File.Exists(fullPath))
        {
            throw new Pkcs11ConnectException(option, $"The PKCS#11 module '{fullPath}' does not exist.");
        }

        Pkcs11NativeResolver.Install();
        try
        {
            return Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, fullPath, AppType.MultiThreaded);
        }
        catch (Pkcs11Exception ex)
        {
            throw new Pkcs11ConnectException(option, $"The PKCS#11 module '{fullPath}' failed to initialize: {ex.Method} returned {ex.RV}.", ex);
        }
        catch (Exception ex) when (ex is UnmanagedException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            throw new Pkcs11ConnectException(option, $"'{fullPath}' is not a PKCS#11 library: it cannot be loaded or has no C_GetFunctionList ({ex.GetType().Name}).", ex);
        }
    }

    private static void DisposeQuietly(IPkcs11Library? library)
    {
        try
        {
            library?.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // Note: a module whose device has gone may refuse C_Finalize; it is unloaded all the same.
        }
    }
}
