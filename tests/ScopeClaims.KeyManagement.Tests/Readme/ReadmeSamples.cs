// The package README's code samples, compiled. PackageReadmeTests checks that every ```csharp block of
// src/ScopeClaims.KeyManagement/README.md appears here verbatim, so the README cannot drift from the API.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.KeyManagement.Tests.Readme;

internal static class ReadmeSamples
{
    public static void SingleMachine(string[] args)
    {
var builder = WebApplication.CreateBuilder(args);

// Data Protection encrypts the managed keys: give it a key ring that survives restarts, as for any ASP.NET Core app.
builder.Services.AddDataProtection()
    .SetApplicationName("partner-tokens")
    .PersistKeysToFileSystem(new DirectoryInfo("/var/lib/myapp/dataprotection"));

builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Managed = true;                       // no key file
});
builder.Services.AddScopeTokenKeyManagement(keys =>
{
    keys.Algorithm = "ES256";                                // RS256 (default), PS256, ES256
    keys.RotationInterval = TimeSpan.FromDays(90);
    keys.PropagationTime = TimeSpan.FromDays(14);            // published this long before it signs
    keys.RetentionTime = TimeSpan.FromDays(14);              // still published this long after it stopped signing
})
.PersistKeysToFileSystem("/var/lib/myapp/keys");

var app = builder.Build();
app.MapScopeTokenMetadata();                                 // /.well-known/openid-configuration and jwks.json
app.Run();
    }
}
