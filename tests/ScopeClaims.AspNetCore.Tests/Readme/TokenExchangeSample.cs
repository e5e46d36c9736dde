// The package README's token-exchange sample, compiled (see PackageReadmeTests).
using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims;
using ScopeClaims.AspNetCore;

namespace ScopeClaims.AspNetCore.Tests.Readme;

internal static class TokenExchangeSample
{
    public static void Program(string[] args)
    {
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddArrayScopeTokens("partner", o =>          // the target: your issuer and key, the partner's shape
{
    o.Issuer = "https://issuer.example";
    o.Audiences.Add("https://partner.example");
    o.SigningKey.Path = "keys/signing.pem";
});
builder.Services.AddScopeTokenConverter(o =>                  // whose tokens are exchanged, re-issued through "partner"
{
    o.ProfileName = "partner";
    var auth0 = new InboundIssuerOptions { Issuer = "https://tenant.eu.auth0.com/", Authority = new Uri("https://tenant.eu.auth0.com/") };
    auth0.Audiences.Add("https://api.example");
    auth0.Algorithms.Add("RS256");
    o.Issuers.Add(auth0);
});
builder.Services.AddTokenExchange(o =>
{
    var billing = new TokenExchangeClient                     // client_secret_basic or client_secret_post
    {
        ClientId = "billing-service",
        SecretHash = builder.Configuration["TokenExchange:BillingSecretHash"],   // TokenExchangeClientSecret.Hash(secret)
    };
    billing.AllowedAudiences.Add("https://partner.example");
    billing.AllowedScopes.Add("read:appointments");
    o.Clients.Add(billing);

    var reports = new TokenExchangeClient                     // private_key_jwt: the client's public JWK set
    {
        ClientId = "reports-job",
        JwksJson = File.ReadAllText("clients/reports-job.jwks.json"),
    };
    reports.AllowedAudiences.Add("https://partner.example");
    reports.AllowedScopes.Add("read:appointments");
    reports.AllowedScopes.Add("read:reports");
    o.Clients.Add(reports);

    o.TokenEndpoint = new Uri("https://issuer.example/oauth2/token");
    o.RateLimiterPolicy = "token-exchange";
});
builder.Services.AddRateLimiter(r =>
{
    r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    r.AddFixedWindowLimiter("token-exchange", l =>
    {
        l.PermitLimit = 100;
        l.Window = TimeSpan.FromSeconds(1);
    });
});

var app = builder.Build();
app.UseRateLimiter();
app.MapTokenExchange("/oauth2/token");
app.MapScopeTokenMetadata("partner");                         // discovery now advertises token_endpoint

app.Run();
    }
}
