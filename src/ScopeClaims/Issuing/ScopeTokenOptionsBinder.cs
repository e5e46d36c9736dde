using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using static ScopeClaims.Internal.ConfigurationValues;

namespace ScopeClaims.Internal;

/// <summary>
/// Binds <see cref="ScopeTokenOptions"/> from configuration without reflection, so it is trim- and AOT-safe. A value that
/// does not parse is left as it was; <see cref="Problems"/> lists such values with their configuration paths, and the
/// registration validator reports them on start, so the options object carries nothing but its options.
/// </summary>
internal static class ScopeTokenOptionsBinder
{
    public static void Bind(IConfiguration configuration, ScopeTokenOptions options) => Bind(configuration, options, new List<string>());

    /// <summary>The values of <paramref name="configuration"/> that do not parse, each naming its configuration path.</summary>
    public static List<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        Bind(configuration, new ScopeTokenOptions(), problems);
        return problems;
    }

    private static void Bind(IConfiguration configuration, ScopeTokenOptions options, List<string> errors)
    {
        String(configuration, nameof(options.Issuer), v => options.Issuer = v);
        String(configuration, "Audience", options.Audiences.Add);
        List(configuration, nameof(options.Audiences), options.Audiences.Add);
        Parsed<ScopeFormat>(configuration, nameof(options.Format), static (string s, out ScopeFormat v) => Enum.TryParse(s, ignoreCase: true, out v) && Enum.IsDefined(v), v => options.Format = v, errors, "Array, SpaceDelimited or Both");
        String(configuration, nameof(options.ClaimName), v => options.ClaimName = v);
        String(configuration, nameof(options.ArrayClaimName), v => options.ArrayClaimName = v);
        String(configuration, nameof(options.TokenType), v => options.TokenType = v);
        Bool(configuration, nameof(options.WriteEmptyArray), v => options.WriteEmptyArray = v, errors);
        Bool(configuration, nameof(options.IncludeJwtId), v => options.IncludeJwtId = v, errors);
        TimeSpan(configuration, nameof(options.Lifetime), v => options.Lifetime = v, errors);
        TimeSpan(configuration, nameof(options.MaxLifetime), v => options.MaxLifetime = v, errors);

        var key = configuration.GetSection(nameof(options.SigningKey));
        var k = options.SigningKey;
        String(key, nameof(k.Path), v => k.Path = v);
        String(key, nameof(k.Pem), v => k.Pem = v);
        String(key, nameof(k.Jwk), v => k.Jwk = v);
        String(key, nameof(k.CertificatePath), v => k.CertificatePath = v);
        String(key, nameof(k.CertificateKeyPath), v => k.CertificateKeyPath = v);
        String(key, nameof(k.CertificatePassword), v => k.CertificatePassword = v);
        String(key, nameof(k.Algorithm), v => k.Algorithm = v);
        String(key, nameof(k.KeyId), v => k.KeyId = v);
        Bool(key, nameof(k.Managed), v => k.Managed = v, errors);

        BindLimits(configuration.GetSection(nameof(options.Limits)), options.Limits, errors);
    }

    public static void BindLimits(IConfiguration section, ScopeLimits limits, List<string> errors)
    {
        Int(section, nameof(limits.MaxScopes), v => limits.MaxScopes = v, errors);
        Int(section, nameof(limits.MaxScopeLength), v => limits.MaxScopeLength = v, errors);
        Int(section, nameof(limits.MaxTotalLength), v => limits.MaxTotalLength = v, errors);
    }
}
