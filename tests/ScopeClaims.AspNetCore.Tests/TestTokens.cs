using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.AspNetCore.Tests;

/// <summary>Tokens in any issuer's shape (see IssuerShapeTable), built from exact payload JSON and signed with keys made once per run.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://idp.test";
    public const string Audience = "https://api.test";

    public static readonly TokenSigningKey Key = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "idp-1");
    public static readonly TokenSigningKey OtherKey = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "idp-1");

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Signs a payload holding <paramref name="scopeMembers"/> (JSON members, e.g. <c>"scope":"a b"</c>) beside iss, aud and times.</summary>
    public static string Create(string scopeMembers, TokenSigningKey? key = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"client-1","iat":{{now}},"nbf":{{now}},"exp":{{now + 300}}{{(scopeMembers.Length == 0 ? "" : ",")}}{{scopeMembers}}}""");
        return Handler.CreateToken(payload, (key ?? Key).Credentials);
    }

    public static TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key.Key,
        ValidAlgorithms = new[] { SecurityAlgorithms.EcdsaSha256 },
    };
}
