// The package README's code samples, compiled. PackageReadmeTests checks that every ```csharp block of
// src/ScopeClaims.AspNetCore/README.md appears here verbatim, as the root README's check does for the root README.
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.AspNetCore;

namespace ScopeClaims.AspNetCore.Tests.Readme;

internal static class ReadmeSamples
{
    public static void ApiThatAcceptsEveryShape(string[] args)
    {
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddAuthentication()
    .AddJwtBearer("Auth0", o =>                       // "scope": "read:appointments write:appointments"
    {
        o.Authority = "https://example.eu.auth0.com/";
        o.Audience = "https://api.example";
    })
    .AddJwtBearer("Entra", o =>                       // "scp": "read:appointments", MapInboundClaims on or off
    {
        o.Authority = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";
        o.Audience = "api://appointments";
    })
    .AddScopeNormalization();                         // every JwtBearer scheme: one "scope" claim per scope

builder.Services.AddAuthorization(options =>
{
    options.DefaultPolicy = new AuthorizationPolicyBuilder("Auth0", "Entra").RequireAuthenticatedUser().Build();
    options.AddPolicy("appointments:admin", policy => policy.RequireAllScopes("read:appointments", "admin"));
});
builder.Services.AddControllers();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/appointments", () => "[]")
    .RequireScope("read:appointments", "admin");                    // any of them
app.MapPost("/appointments", () => "created")
    .RequireAllScopes("read:appointments", "write:appointments");   // all of them
app.MapDelete("/appointments/{id}", (string id) => id)
    .RequireAuthorization("appointments:admin");
app.MapControllers();

app.Run();
    }

    public static void IssuerThatPublishesJwks(string[] args)
    {
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Path = "keys/signing.pem";     // RSA or EC; an HMAC key is a secret and is never published
});

var app = builder.Build();

app.MapScopeTokenMetadata();
// GET /.well-known/openid-configuration  {"issuer":"https://issuer.example","jwks_uri":"https://.../.well-known/jwks.json"}
// GET /.well-known/jwks.json             {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"...","n":"...","e":"AQAB"}]}

app.Run();
    }

    public static void PartnerValidator(WebApplicationBuilder builder)
    {
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(o =>
    {
        o.Authority = "https://issuer.example";      // fetches /.well-known/openid-configuration, then jwks_uri
        o.Audience = "https://partner.example/oauth2/token";
    });
    }
}

[ApiController]
[Route("messages")]
[RequireScope("read:msg")]                            // on the class: every action needs read:msg
public sealed class MessagesController : ControllerBase
{
    [HttpGet]
    public IActionResult List() => Ok(User.HasScope("write:msg"));

    [HttpPost]
    [RequireScope("write:msg", "admin", ScopeMatch = ScopeMatch.All)]   // and, here, write:msg and admin
    public IActionResult Send() => Accepted();
}
