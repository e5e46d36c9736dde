using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests;

/// <summary>Keys made once per test run.</summary>
internal static class TestKeys
{
    public static readonly TokenSigningKey Rsa = TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "rsa-1");
    public static readonly TokenSigningKey Ec = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ec-1");
    public static readonly TokenSigningKey Hmac = TokenSigningKey.Generate(SecurityAlgorithms.HmacSha256, "hmac-1");

    public static ScopeTokenOptions Options(TokenSigningKey? key = null, ScopeFormat format = ScopeFormat.Array)
    {
        var options = new ScopeTokenOptions
        {
            Issuer = "https://issuer.test",
            Format = format,
            SigningKeys = new SigningKeySet(key ?? Rsa),
        };
        options.Audiences.Add("https://partner.test");
        return options;
    }

    public static TokenValidationParameters ValidationParameters(SigningKeySet keys) => new()
    {
        ValidIssuer = "https://issuer.test",
        ValidAudience = "https://partner.test",
        IssuerSigningKeys = keys.GetVerificationKeys(),
        ValidAlgorithms = TokenSigningAlgorithms.All,
        ClockSkew = TimeSpan.Zero,
    };

    public static string RsaPem(int bits = 2048) { using var rsa = RSA.Create(bits); return rsa.ExportRSAPrivateKeyPem(); }
}
