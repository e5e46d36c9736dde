using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>The checked options of one signer: what the options say, with the PIN read and the key id decoded.</summary>
internal sealed class Pkcs11Settings
{
    private const string Prefix = "Pkcs11SigningKeyOptions.";

    private Pkcs11Settings(Pkcs11SigningKeyOptions options, Pkcs11Algorithm algorithm, string pin, string pinOption, byte[]? keyId)
    {
        LibraryPath = options.LibraryPath!;
        TokenLabel = options.TokenLabel;
        SlotId = options.SlotId;
        KeyLabel = options.KeyLabel;
        KeyId = keyId;
        Algorithm = algorithm;
        Pin = pin;
        PinOption = pinOption;
        MaxSessions = options.MaxSessions;
        SignTimeout = options.SignTimeout;
        RetryInterval = options.RetryInterval;
        AllowExtractableKey = options.AllowExtractableKey;
    }

    public string LibraryPath { get; }

    public string? TokenLabel { get; }

    public ulong? SlotId { get; }

    public string? KeyLabel { get; }

    public byte[]? KeyId { get; }

    public Pkcs11Algorithm Algorithm { get; }

    public string Pin { get; }

    /// <summary>Gets the option the PIN came from (<c>UserPin</c> or <c>UserPinEnvironmentVariable</c>), for messages.</summary>
    public string PinOption { get; }

    public int MaxSessions { get; }

    public TimeSpan SignTimeout { get; }

    public TimeSpan RetryInterval { get; }

    public bool AllowExtractableKey { get; }

    /// <summary>Gets the option that names the key, for messages: <c>KeyLabel</c> when set, else <c>KeyId</c>.</summary>
    public string KeyOption => KeyLabel is not null ? nameof(KeyLabel) : nameof(KeyId);

    /// <summary>Gets the key and token for messages, e.g. <c>key 'jwt-rsa' on token 'issuer'</c>; never the PIN.</summary>
    public string KeyDescription
    {
        get
        {
            var key = KeyLabel is not null ? $"'{KeyLabel}'" : $"with CKA_ID {Convert.ToHexString(KeyId!)}";
            var token = TokenLabel is not null ? $"token '{TokenLabel}'" : $"slot {SlotId}";
            return $"key {key} on {token}";
        }
    }

    /// <summary>Checks the options without touching the module: every problem, each naming its option.</summary>
    public static List<string> Check(Pkcs11SigningKeyOptions options, out Pkcs11Settings? settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = null;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.LibraryPath))
        {
            failures.Add($"{Prefix}LibraryPath is required: the path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so.");
        }
        else if (!File.Exists(options.LibraryPath))
        {
            failures.Add($"{Prefix}LibraryPath '{options.LibraryPath}' does not exist.");
        }

        if (string.IsNullOrWhiteSpace(options.TokenLabel) == (options.SlotId is null))
        {
            failures.Add($"{Prefix}TokenLabel and SlotId: set exactly one to choose the token (the label is preferred; slot ids can change).");
        }

        if (string.IsNullOrWhiteSpace(options.KeyLabel) && string.IsNullOrWhiteSpace(options.KeyId))
        {
            failures.Add($"{Prefix}KeyLabel or KeyId is required to choose the private key.");
        }

        byte[]? keyId = null;
        if (!string.IsNullOrWhiteSpace(options.KeyId))
        {
            try
            {
                keyId = Convert.FromHexString(options.KeyId);
            }
            catch (FormatException)
            {
                failures.Add($"{Prefix}KeyId '{options.KeyId}' is not hexadecimal (the key's CKA_ID, e.g. 01 or a1b2c3).");
            }
        }

        var algorithm = Pkcs11Algorithm.Find(options.Algorithm);
        if (algorithm is null)
        {
            failures.Add($"{Prefix}Algorithm '{options.Algorithm}' is not supported; use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512.");
        }

        var (pin, pinOption) = ReadPin(options, failures);

        if (options.MaxSessions is < 1 or > 256)
        {
            failures.Add($"{Prefix}MaxSessions ({options.MaxSessions.ToString(CultureInfo.InvariantCulture)}) must be 1 to 256.");
        }

        if (options.SignTimeout <= TimeSpan.Zero || options.SignTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}SignTimeout ({options.SignTimeout}) must be more than zero and at most 5 minutes.");
        }

        if (options.RetryInterval < TimeSpan.FromMilliseconds(10) || options.RetryInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{Prefix}RetryInterval ({options.RetryInterval}) must be at least 10 milliseconds and at most 10 minutes.");
        }

        if (options.JwtKeyId is not null && string.IsNullOrWhiteSpace(options.JwtKeyId))
        {
            failures.Add($"{Prefix}JwtKeyId cannot be empty or blank; leave it unset for the key's RFC 7638 thumbprint.");
        }

        if (failures.Count == 0)
        {
            settings = new Pkcs11Settings(options, algorithm!, pin!, pinOption, keyId);
        }

        return failures;
    }

    private static (string? Pin, string Option) ReadPin(Pkcs11SigningKeyOptions options, List<string> failures)
    {
        var inline = options.UserPin is not null;
        var variable = !string.IsNullOrWhiteSpace(options.UserPinEnvironmentVariable);
        if (inline == variable)
        {
            failures.Add($"{Prefix}UserPin and UserPinEnvironmentVariable: set exactly one.");
            return (null, nameof(Pkcs11SigningKeyOptions.UserPin));
        }

        if (inline)
        {
            if (options.UserPin!.Length == 0)
            {
                failures.Add($"{Prefix}UserPin is empty.");
            }

            return (options.UserPin, nameof(Pkcs11SigningKeyOptions.UserPin));
        }

        var pin = Environment.GetEnvironmentVariable(options.UserPinEnvironmentVariable!);
        if (string.IsNullOrEmpty(pin))
        {
            failures.Add($"{Prefix}UserPinEnvironmentVariable: the environment variable '{options.UserPinEnvironmentVariable}' is not set or is empty.");
        }

        return (pin, nameof(Pkcs11SigningKeyOptions.UserPinEnvironmentVariable));
    }
}
