// The README's code samples, compiled. ReadmeTests checks that every ```csharp block of README.md appears here
// verbatim (using lines anywhere in this file, the rest as contiguous lines), so the README cannot drift from the API.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Readme;

internal static class ReadmeSamples
{
    public static async Task QuickStart(string[] args)
    {
var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Path = "keys/signing.pem";     // PEM (RSA or EC) or a private JWK file
    options.Lifetime = TimeSpan.FromMinutes(5);
});

using var host = builder.Build();
await host.StartAsync();                              // options are validated here, every problem listed at once

var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();
string token = issuer.Issue(ScopeSet.Parse("read:a write:b"), subject: "my-client-id");
// payload: { "iss": "https://issuer.example", "aud": "...", "sub": "my-client-id",
//            "scope": ["read:a", "write:b"], "jti": "...", "iat": ..., "nbf": ..., "exp": ... }

// Read scopes back from any issuer's token, in any shape:
var normalizer = host.Services.GetRequiredService<ScopeNormalizer>();
ScopeSet scopes = normalizer.Read(new JsonWebToken(token));
Console.WriteLine(scopes);                            // "read:a write:b"
    }

    public static (string ForA, string ForB) SeveralPartners(HostApplicationBuilder builder)
    {
builder.Services.AddArrayScopeTokens("partner-a", o =>
{
    o.Issuer = "https://issuer.example";
    o.Audiences.Add("https://a.example/token");
    o.SigningKey.Path = "keys/signing.pem";
});
builder.Services.AddScopeTokens("partner-b", ScopeFormat.SpaceDelimited, o =>
{
    o.Issuer = "https://issuer.example";
    o.Audiences.Add("https://b.example/token");
    o.SigningKey.Path = "keys/signing.pem";
});

using var host = builder.Build();
var factory = host.Services.GetRequiredService<IScopeTokenIssuerFactory>();
string forA = factory.GetIssuer("partner-a").Issue(ScopeSet.Parse("read:a"));   // "scope": ["read:a"]
string forB = factory.GetIssuer("partner-b").Issue(ScopeSet.Parse("read:a"));   // "scope": "read:a"
        return (forA, forB);
    }

    public static async Task Converter(HostApplicationBuilder builder, string auth0Token)
    {
builder.Services.AddArrayScopeTokens("partner", options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Path = "keys/signing.pem";
});
builder.Services.AddScopeTokenConverter(options =>
{
    options.ProfileName = "partner";
    options.AllowedScopes = "read:appointments read:msg";   // optional down-scoping
    var auth0 = new InboundIssuerOptions
    {
        Issuer = "https://tenant.auth0.com/",
        Authority = new Uri("https://tenant.auth0.com/"),    // discovery + JWKS, refreshed by Microsoft.IdentityModel
    };
    auth0.Audiences.Add("https://api.example");
    auth0.Algorithms.Add("RS256");
    options.Issuers.Add(auth0);
});

using var host = builder.Build();
var converter = host.Services.GetRequiredService<IScopeTokenConverter>();
try
{
    ScopeTokenConversion result = await converter.ConvertAsync(auth0Token);  // "scope": "read:appointments read:msg"
    Console.WriteLine(result.Token);                                         // "scope": ["read:appointments", "read:msg"]
}
catch (TokenConversionException ex)
{
    Console.Error.WriteLine($"{ex.Reason}: {ex.Message}");                   // never contains the token
}
    }
}
