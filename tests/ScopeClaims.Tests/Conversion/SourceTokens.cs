using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Conversion;

/// <summary>Builds source tokens byte by byte, so tests can make hostile ones (duplicate keys, crit, jku, alg none...).</summary>
internal static class SourceTokens
{
    public const string Auth0 = "https://tenant.auth0.test/";
    public const string Api = "https://api.test";

    /// <summary>The inbound issuer's RSA key (Auth0-like).</summary>
    public static readonly TokenSigningKey IssuerKey = TokenSigningKey.Generate("RS256", "auth0-key-1");

    public static string Header(TokenSigningKey? key = null, string? alg = null, string? typ = "JWT") =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["alg"] = alg ?? (key ?? IssuerKey).Algorithm, ["kid"] = (key ?? IssuerKey).KeyId, ["typ"] = typ }
            .Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    public static string Payload(object scope, string scopeClaim = "scope", int expiresInSeconds = 600, string issuer = Auth0, string audience = Api, Action<Dictionary<string, object>>? extra = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = "client-1@clients",
            ["aud"] = audience,
            ["iat"] = now,
            ["exp"] = now + expiresInSeconds,
            ["azp"] = "client-1",
            ["gty"] = "client-credentials",
            ["email"] = "someone@example.test",
            ["jti"] = "source-jti",
            [scopeClaim] = scope,
        };
        extra?.Invoke(claims);
        return JsonSerializer.Serialize(claims);
    }

    public static string Sign(string headerJson, string payloadJson, TokenSigningKey? key = null)
    {
        key ??= IssuerKey;
        var input = Encode(headerJson) + "." + Encode(payloadJson);
        var provider = key.Key.CryptoProviderFactory.CreateForSigning(key.Key, key.Algorithm);
        try
        {
            return input + "." + Base64UrlEncoder.Encode(provider.Sign(Encoding.ASCII.GetBytes(input)));
        }
        finally
        {
            key.Key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    public static string Build(object scope, string scopeClaim = "scope", int expiresInSeconds = 600) =>
        Sign(Header(), Payload(scope, scopeClaim, expiresInSeconds));

    /// <summary>HS256 over the signing input with arbitrary bytes as the MAC key (for key-confusion attacks).</summary>
    public static string MacWith(byte[] secret, string headerJson, string payloadJson)
    {
        var input = Encode(headerJson) + "." + Encode(payloadJson);
        return input + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static InboundIssuerOptions Inbound(params string[] algorithms)
    {
        var inbound = new InboundIssuerOptions { Issuer = Auth0 };
        inbound.Audiences.Add(Api);
        foreach (var alg in algorithms.Length == 0 ? new[] { "RS256" } : algorithms)
        {
            inbound.Algorithms.Add(alg);
        }

        inbound.SigningKeys.Add(PublicKey(IssuerKey));
        return inbound;
    }

    public static SecurityKey PublicKey(TokenSigningKey key)
    {
        var jwk = key.ToPublicJsonWebKey()!;
        return jwk;
    }
}
