using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using static ScopeClaims.Internal.ConfigurationValues;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>
/// Binds <see cref="Pkcs11SigningKeyOptions"/> from configuration without reflection. A value that does not parse is
/// left as it was and reported by <see cref="Problems"/>, with its configuration path, on start.
/// </summary>
internal static class Pkcs11OptionsBinder
{
    public static void Bind(IConfiguration configuration, Pkcs11SigningKeyOptions options) => Bind(configuration, options, []);

    public static List<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        Bind(configuration, new Pkcs11SigningKeyOptions(), problems);
        return problems;
    }

    private static void Bind(IConfiguration configuration, Pkcs11SigningKeyOptions options, List<string> errors)
    {
        String(configuration, nameof(options.LibraryPath), v => options.LibraryPath = v);
        String(configuration, nameof(options.TokenLabel), v => options.TokenLabel = v);
        Parsed<ulong>(configuration, nameof(options.SlotId), static (string s, out ulong v) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v), v => options.SlotId = v, errors, "a slot number");
        String(configuration, nameof(options.KeyLabel), v => options.KeyLabel = v);
        String(configuration, nameof(options.KeyId), v => options.KeyId = v);
        String(configuration, nameof(options.Algorithm), v => options.Algorithm = v);
        String(configuration, nameof(options.UserPin), v => options.UserPin = v);
        String(configuration, nameof(options.UserPinEnvironmentVariable), v => options.UserPinEnvironmentVariable = v);
        String(configuration, nameof(options.JwtKeyId), v => options.JwtKeyId = v);
        Int(configuration, nameof(options.MaxSessions), v => options.MaxSessions = v, errors);
        TimeSpan(configuration, nameof(options.SignTimeout), v => options.SignTimeout = v, errors);
        TimeSpan(configuration, nameof(options.RetryInterval), v => options.RetryInterval = v, errors);
        Bool(configuration, nameof(options.AllowExtractableKey), v => options.AllowExtractableKey = v, errors);
    }
}
