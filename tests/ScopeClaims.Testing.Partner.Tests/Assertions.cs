using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Testing.Partner.Tests;

/// <summary>Builds assertions by hand, claim by claim, so a test can break exactly one rule.</summary>
internal static class Assertions
{
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static Dictionary<string, object?> Claims(FakePartner partner, string clientId = Partners.ClientId, object? scope = null, string? jti = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object?>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = partner.TokenEndpoint.AbsoluteUri,
            ["iat"] = now,
            ["exp"] = now + 120,
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
            ["scope"] = scope ?? new[] { "read:a", "write:b" },
        };
    }

    /// <summary>Signs the claims (a null value leaves the claim out) with the key, alg and kid given.</summary>
    public static string Sign(IDictionary<string, object?> claims, TokenSigningKey? key = null)
    {
        key ??= Partners.ClientKey;
        var payload = JsonSerializer.Serialize(claims.Where(static c => c.Value is not null).ToDictionary(static c => c.Key, static c => c.Value));
        return s_handler.CreateToken(payload, key.Credentials);
    }

    public static string Valid(FakePartner partner, object? scope = null) => Sign(Claims(partner, scope: scope));

    /// <summary>An unsigned token (alg none) with the claims.</summary>
    public static string Unsigned(IDictionary<string, object?> claims)
    {
        var payload = JsonSerializer.Serialize(claims.Where(static c => c.Value is not null).ToDictionary(static c => c.Key, static c => c.Value));
        return Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64UrlEncoder.Encode(payload) + ".";
    }
}
