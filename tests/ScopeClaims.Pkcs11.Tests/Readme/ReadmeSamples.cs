// The README samples of ScopeClaims.Pkcs11, compiled: PackageReadmeTests checks that every ```csharp block of
// src/ScopeClaims.Pkcs11/README.md appears here verbatim, and the root README's test (ScopeClaims.Tests) finds the root
// README's PKCS#11 block here, so neither README can drift from the API.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScopeClaims.Pkcs11;

namespace ScopeClaims.Pkcs11.Tests.Readme;

internal static class ReadmeSamples
{
    public static void QuickStart(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Managed = true;
});
builder.Services.AddPkcs11SigningKeys(builder.Configuration.GetSection("Pkcs11"));
    }

    public static string WithoutDependencyInjection()
    {
using var signer = Pkcs11TokenSigner.Open(new Pkcs11SigningKeyOptions
{
    LibraryPath = "/usr/lib/softhsm/libsofthsm2.so",
    TokenLabel = "issuer",
    KeyLabel = "jwt-ec",
    Algorithm = "ES256",
    UserPinEnvironmentVariable = "HSM_PIN",
});
var issuer = new ScopeTokenIssuer(new ScopeTokenOptions
{
    Issuer = "https://issuer.example",
    Audiences = { "https://partner.example/oauth2/token" },
    SigningKeys = new SigningKeySet(TokenSigningKey.FromSigner(signer)),
});
string token = issuer.Issue(ScopeSet.Parse("read write"));
        return token;
    }

    public static void RootReadme(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Managed = true;
});
builder.Services.AddPkcs11SigningKeys(key =>
{
    key.LibraryPath = "/usr/lib/softhsm/libsofthsm2.so";
    key.TokenLabel = "issuer";
    key.KeyLabel = "jwt-rsa";                  // or KeyId = "01" (CKA_ID, hex)
    key.Algorithm = "RS256";                   // RS256/384/512, PS256/384/512, ES256/384/512
    key.UserPinEnvironmentVariable = "HSM_PIN";
});                                            // or AddPkcs11SigningKeys(builder.Configuration.GetSection("Pkcs11"))
    }
}
