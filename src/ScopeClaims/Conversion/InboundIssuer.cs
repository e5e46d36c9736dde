using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>An inbound issuer made ready for validation: its keys resolved or its configuration manager created.</summary>
internal sealed class InboundIssuer
{
    public InboundIssuer(InboundIssuerOptions options, string converter, ScopeClaimsMetrics metrics, TimeProvider time)
    {
        Issuer = options.Issuer!;
        Audiences = options.Audiences.ToArray();
        Algorithms = options.Algorithms.ToArray();
        TokenTypes = options.TokenTypes.ToArray();
        ClockSkew = options.ClockSkew;

        if (options.SigningKeys.Count > 0)
        {
            Keys = options.SigningKeys.ToArray();
        }
        else if (!string.IsNullOrWhiteSpace(options.JwksJson))
        {
            Keys = ReadJwks(options.JwksJson, "InboundIssuerOptions.JwksJson");
        }
        else if (!string.IsNullOrWhiteSpace(options.JwksPath))
        {
            if (!BoundedFile.TryReadText(options.JwksPath, out var json, out var failure))
            {
                throw new InvalidOperationException($"The JWKS file {BoundedFile.Describe(options.JwksPath)} of issuer '{Issuer}' could not be read: {failure}.");
            }

            Keys = ReadJwks(json, BoundedFile.Describe(options.JwksPath));
        }
        else
        {
            var address = MetadataAddressOf(options)!;
            // Note: metadata and JWKS requests never follow a redirect (a 3xx fails the retrieval): where the keys come
            // from is decided by the configured address and the metadata's jwks_uri, not by a server's Location header.
            var client = new HttpClient(new NoRedirectHandler(options.BackchannelHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false }), disposeHandler: options.BackchannelHandler is null);
            client.Timeout = TimeSpan.FromSeconds(30);
            var retriever = new HttpDocumentRetriever(client) { RequireHttps = !IsLoopback(address) };
            Metadata = new MeasuredConfigurationRetriever(converter, Issuer, metrics, time);
            ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(address.AbsoluteUri, Metadata, retriever)
            {
                RefreshInterval = options.MetadataRefreshInterval,

                // Note: a key the authority stopped publishing must stop verifying at the next refresh; Microsoft.IdentityModel
                // otherwise retries a failed token against "last known good" configurations for an hour.
                UseLastKnownGoodConfiguration = false,
            };
        }
    }

    /// <summary>The JWE key-management algorithms accepted (RSA1_5 never: its padding failures are an oracle).</summary>
    public static readonly string[] KeyManagementAlgorithms =
    {
        SecurityAlgorithms.RsaOAEP, "RSA-OAEP-256", SecurityAlgorithms.EcdhEs, SecurityAlgorithms.EcdhEsA128kw, SecurityAlgorithms.EcdhEsA256kw,
        SecurityAlgorithms.Aes128KW, SecurityAlgorithms.Aes256KW, "dir",
    };

    private static readonly string[] EncryptionAlgorithms =
    {
        SecurityAlgorithms.RsaOAEP, "RSA-OAEP-256", SecurityAlgorithms.EcdhEs, SecurityAlgorithms.EcdhEsA128kw, SecurityAlgorithms.EcdhEsA256kw,
        SecurityAlgorithms.Aes128KW, SecurityAlgorithms.Aes256KW, "dir",
        SecurityAlgorithms.Aes128CbcHmacSha256, SecurityAlgorithms.Aes192CbcHmacSha384, SecurityAlgorithms.Aes256CbcHmacSha512,
        SecurityAlgorithms.Aes128Gcm, SecurityAlgorithms.Aes256Gcm,
    };

    public string Issuer { get; }

    public string[] Audiences { get; }

    public string[] Algorithms { get; }

    public string[] TokenTypes { get; }

    public TimeSpan ClockSkew { get; }

    /// <summary>Static keys, or <see langword="null"/> when they come from <see cref="ConfigurationManager"/>.</summary>
    public SecurityKey[]? Keys { get; }

    public ConfigurationManager<OpenIdConnectConfiguration>? ConfigurationManager { get; }

    /// <summary>The retriever that records each metadata fetch, or <see langword="null"/> for static keys.</summary>
    public MeasuredConfigurationRetriever? Metadata { get; }

    public static Uri? MetadataAddressOf(InboundIssuerOptions options) =>
        options.MetadataAddress ?? (options.Authority is { IsAbsoluteUri: true } authority
            ? new Uri(authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute)
            : options.Authority);

    public static bool IsLoopback(Uri uri) =>
        uri.IsAbsoluteUri && (uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip)));

    private TokenValidationParameters? _withKeyId;
    private TokenValidationParameters? _withoutKeyId;

    /// <summary>
    /// The validation parameters, made once per issuer and shape. Microsoft.IdentityModel sets two flags on them during
    /// validation (<c>RefreshBeforeValidation</c>, <c>ValidateWithLKG</c>), which only its Entra ID issuer validator reads;
    /// nothing this converter relies on changes.
    /// </summary>
    public TokenValidationParameters Parameters(bool hasKeyId, IList<SecurityKey> decryptionKeys) => hasKeyId
        ? _withKeyId ??= CreateParameters(hasKeyId: true, decryptionKeys)
        : _withoutKeyId ??= CreateParameters(hasKeyId: false, decryptionKeys);

    private TokenValidationParameters CreateParameters(bool hasKeyId, IList<SecurityKey> decryptionKeys) => new()
    {
        ValidIssuer = Issuer,
        ValidAudiences = Audiences,
        // Note: Microsoft.IdentityModel checks JWE key-management and content algorithms against the same list;
        // they are added only when encrypted tokens are enabled (RSA1_5 never is).
        ValidAlgorithms = decryptionKeys.Count == 0 ? Algorithms : Algorithms.Concat(EncryptionAlgorithms).ToArray(),
        ValidTypes = TokenTypes.Length == 0 ? null : TokenTypes,
        IssuerSigningKeys = Keys,
        ConfigurationManager = ConfigurationManager,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,

        // Note: RFC 8725 §3.1/§3.2: the key that verified the signature must be of the token's algorithm family, size
        // and curve, and allow it (JWK alg, use, key_ops). This replaces Microsoft.IdentityModel's own key check, whose
        // one rule (a certificate key's validity period) is kept here.
        IssuerSigningKeyValidator = static (key, token, _) => CheckSigningKey(key, token),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        RequireAudience = true,

        // Note: a token that names a kid is checked against that key only; one without a kid may try each trusted key.
        TryAllIssuerSigningKeys = !hasKeyId,
        ClockSkew = ClockSkew,

        // Note: Microsoft.IdentityModel ignores a trailing slash by default; "https://api.example/" is not "https://api.example".
        IgnoreTrailingSlashWhenValidatingAudience = false,
        TokenDecryptionKeys = decryptionKeys,
        SaveSigninToken = false,
    };

    /// <summary>
    /// Reads a configured JWKS strictly (<see cref="StrictJwks"/>): duplicate members, private members, an <c>x5c</c>
    /// that does not match its key, and a set with no RSA or EC verification key are refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The JWKS is refused; the message names the source and the reason, never key material.</exception>
    internal static SecurityKey[] ReadJwks(string json, string source)
    {
        var result = StrictJwks.Read(json, StrictJwks.PrivateKeys.Refuse);
        return result.IsValid
            ? result.Keys.ToArray<SecurityKey>()
            : throw new InvalidOperationException($"The JWKS '{source}' is refused: {result.Message}.");
    }

    internal static bool CheckSigningKey(SecurityKey key, SecurityToken token)
    {
        if (KeyAlgorithmBinding.Check(key, (token as JsonWebToken)?.Alg) is { } problem)
        {
            throw new SecurityTokenInvalidSigningKeyException("The key does not fit the token's algorithm: " + problem + ".") { SigningKey = key };
        }

        if (key is X509SecurityKey { Certificate: { } certificate })
        {
            var now = DateTime.UtcNow;
            if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            {
                throw new SecurityTokenInvalidSigningKeyException("The signing key's certificate is outside its validity period.") { SigningKey = key };
            }
        }

        return true;
    }
}
