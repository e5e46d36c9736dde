using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>
/// The key found on its token for one generation of the module: a logged-in anchor session that is never lent (PKCS#11
/// logs an application in per token, and out when its last session closes), the private key's handle, the public key
/// read from the token, and the idle signing sessions.
/// </summary>
internal sealed partial class Pkcs11KeyConnection : IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly ISlot _slot;
    private readonly ISession _anchor;
    private readonly ConcurrentBag<ISession> _idle = [];
    private volatile bool _broken;
    private bool _disposed;

    private Pkcs11KeyConnection(Pkcs11Module module, int generation, ISlot slot, ISession anchor)
    {
        _module = module;
        Generation = generation;
        _slot = slot;
        _anchor = anchor;
    }

    /// <summary>Gets the generation of the module this connection was made in.</summary>
    public int Generation { get; }

    /// <summary>Gets a value indicating whether the connection can sign: not failed, and the module not initialized again since.</summary>
    public bool IsUsable => !_broken && Generation == _module.Generation;

    /// <summary>Gets the token's label, for messages.</summary>
    public string TokenLabel { get; private set; } = string.Empty;

    /// <summary>Gets the public key read from the token.</summary>
    public AsymmetricAlgorithm PublicKey { get; private set; } = null!;

    /// <summary>Gets the DER SubjectPublicKeyInfo of <see cref="PublicKey"/>, to recognise the same key after a reconnection.</summary>
    public byte[] PublicKeyInfo { get; private set; } = [];

    private IObjectHandle Key { get; set; } = null!;

    /// <summary>Finds the token and the key, logs in and reads the public key; the caller holds no module call.</summary>
    /// <exception cref="Pkcs11ConnectException">The token, the PIN or the key is refused; the message names the option.</exception>
    /// <exception cref="Pkcs11Exception">The module failed.</exception>
    public static Pkcs11KeyConnection Open(Pkcs11Module module, Pkcs11Settings settings)
    {
        module.EnterCall();
        try
        {
            var generation = module.Generation;
            var slot = FindSlot(module.Library, settings, out var tokenLabel);
            var anchor = slot.OpenSession(SessionType.ReadOnly);
            var connection = new Pkcs11KeyConnection(module, generation, slot, anchor) { TokenLabel = tokenLabel };
            try
            {
                Login(module, slot, anchor, settings);
                connection.Key = FindPrivateKey(anchor, settings);
                connection.PublicKey = ReadPublicKey(anchor, connection.Key, settings);
                connection.PublicKeyInfo = connection.PublicKey.ExportSubjectPublicKeyInfo();
                return connection;
            }
            catch
            {
                connection.CloseAll();
                throw;
            }
        }
        finally
        {
            module.ExitCall();
        }
    }

    /// <summary>Signs <paramref name="data"/> on an idle session (or a new one); the caller holds a module call and a pool slot.</summary>
    /// <exception cref="Pkcs11Exception">The module failed; the connection is marked broken.</exception>
    public byte[] Sign(IMechanism mechanism, byte[] data)
    {
        ISession? session = null;
        try
        {
            if (!_idle.TryTake(out session))
            {
                session = _slot.OpenSession(SessionType.ReadOnly);
            }

            var signature = session.Sign(mechanism, Key, data);
            _idle.Add(session);
            return signature;
        }
        catch (Pkcs11Exception)
        {
            _broken = true;
            CloseQuietly(session);
            throw;
        }
    }

    /// <summary>Marks the connection failed, so the signer reconnects.</summary>
    public void MarkBroken() => _broken = true;

    /// <summary>Closes the sessions if the module has not been initialized again since (else their numbers may be new sessions').</summary>
    public void Dispose()
    {
        _broken = true;
        _module.EnterCall();
        try
        {
            if (!_disposed && Generation == _module.Generation)
            {
                CloseAll();
            }

            _disposed = true;
        }
        finally
        {
            _module.ExitCall();
        }
    }

    private static ISlot FindSlot(IPkcs11Library library, Pkcs11Settings settings, out string tokenLabel)
    {
        var slots = library.GetSlotList(SlotsType.WithTokenPresent);
        if (settings.SlotId is { } id)
        {
            var slot = slots.FirstOrDefault(s => s.SlotId == id)
                ?? throw new Pkcs11ConnectException(nameof(settings.SlotId), $"No token is present in slot {id}.");
            tokenLabel = slot.GetTokenInfo().Label.TrimEnd();
            return slot;
        }

        var labels = new List<string>();
        ISlot? found = null;
        foreach (var slot in slots)
        {
            // Note: a slot whose token has just gone may fail C_GetTokenInfo; it is not the token asked for, so it is passed over.
            if (TokenLabelOf(slot) is not { } label)
            {
                continue;
            }

            labels.Add(label);
            if (string.Equals(label, settings.TokenLabel, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    throw new Pkcs11ConnectException(nameof(settings.TokenLabel), $"Several tokens are labelled '{settings.TokenLabel}'; give them distinct labels or choose one by SlotId.");
                }

                found = slot;
            }
        }

        tokenLabel = settings.TokenLabel!;
        return found ?? throw new Pkcs11ConnectException(
            nameof(settings.TokenLabel),
            $"No token labelled '{settings.TokenLabel}' is present in the module (present: {(labels.Count == 0 ? "none" : string.Join(", ", labels.Select(static l => $"'{l}'")))}).");
    }

    private static string? TokenLabelOf(ISlot slot)
    {
        try
        {
            return slot.GetTokenInfo().Label.TrimEnd();
        }
        catch (Pkcs11Exception)
        {
            return null;
        }
    }

    private static void Login(Pkcs11Module module, ISlot slot, ISession session, Pkcs11Settings settings)
    {
        try
        {
            session.Login(CKU.CKU_USER, settings.Pin);
            module.RememberLogin(slot.SlotId, settings.Pin);
        }
        catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Note: another signer of this process has logged in to the token and sessions share the login, so the
            // token did not check this PIN; it must be the PIN that logged in.
            if (module.IsLoginPin(slot.SlotId, settings.Pin) == false)
            {
                throw new Pkcs11ConnectException(settings.PinOption, $"The user PIN is not the one this process logged in to the token with (the token is already logged in, so it did not check it); check {settings.PinOption} (the PIN is not shown).");
            }
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_LOCKED or CKR.CKR_PIN_EXPIRED)
        {
            // Note: the inner exception is not kept, although Pkcs11Interop's message names only the method and the return value.
            throw new Pkcs11ConnectException(settings.PinOption, $"The token refused the user PIN ({ex.RV}); check {settings.PinOption} (the PIN is not shown).");
        }
    }

    private void CloseAll()
    {
        while (_idle.TryTake(out var session))
        {
            CloseQuietly(session);
        }

        CloseQuietly(_anchor);
    }

    private static void CloseQuietly(ISession? session)
    {
        try
        {
            session?.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // Note: a session of a token that has gone may refuse C_CloseSession; it is dropped all the same.
        }
    }
}
