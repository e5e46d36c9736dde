// The package README's code samples, compiled. ReadmeTests checks that every ```csharp block of
// src/ScopeClaims.Http/README.md appears here verbatim, so the README cannot drift from the API.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScopeClaims;
using ScopeClaims.Http;

namespace ScopeClaims.Http.Tests.Readme;

internal static class ReadmeSamples
{
    public static async Task PartnerScenario(string[] args)
    {
var builder = Host.CreateApplicationBuilder(args);

// Who we are to the partner: iss = our client id, our key (its public JWKS is what we give the partner),
// scopes written as a JSON array.
builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "my-client-id";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Path = "keys/signing.pem";
});

// The partner's API: every request carries the partner's token, fetched and cached for us.
builder.Services.AddHttpClient("partner", client => client.BaseAddress = new Uri("https://api.partner.example/"))
    .AddJwtBearerGrant(options =>
    {
        options.TokenEndpoint = new Uri("https://partner.example/oauth2/token");
        options.Scopes = ScopeSet.Parse("read:appointments read:msg");
    });

using var host = builder.Build();
await host.StartAsync();                                       // every option is validated here

var partner = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("partner");
using var response = await partner.GetAsync("appointments");   // assertion -> partner token -> GET with Bearer
response.EnsureSuccessStatusCode();
Console.WriteLine(await response.Content.ReadAsStringAsync());
    }

    public static void SharedCache(HostApplicationBuilder builder)
    {
  builder.Services.AddStackExchangeRedisCache(options => options.Configuration = "redis.internal:6379");
    }

    public static async Task Failures(HttpClient partner)
    {
try
{
    using var appointments = await partner.GetAsync("appointments");
}
catch (TokenEndpointErrorException ex) when (ex.Error == "invalid_grant")
{
    // The partner refused our assertion: ex.ErrorDescription says why (unknown key, wrong aud, expired...).
}
catch (TokenEndpointUnavailableException ex) when (ex.IsTimeout)
{
    // The token endpoint did not answer within TokenRequestTimeout.
}
    }

    public static async Task ClientCredentialsGrant(string[] args)
    {
var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddHttpClient("billing", client => client.BaseAddress = new Uri("https://api.billing.example/"))
    .AddClientCredentialsGrant(options =>
    {
        options.TokenEndpoint = new Uri("https://login.billing.example/oauth2/token");
        options.ClientId = "my-client-id";
        options.ClientSecret = builder.Configuration["Billing:ClientSecret"];   // from a secret store
        options.Scopes = ScopeSet.Parse("invoices:read");
        options.Resource = new Uri("https://api.billing.example/");           // RFC 8707, when the server wants it
    });

using var host = builder.Build();
await host.StartAsync();                                       // every option is validated here

var billing = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");
using var response = await billing.GetAsync("invoices");       // client credentials -> token -> GET with Bearer
response.EnsureSuccessStatusCode();
    }

    public static void TokenExchangeGrant(string[] args)
    {
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddHttpContextAccessor();
builder.Services.AddHttpClient("orders", client => client.BaseAddress = new Uri("https://orders.internal/"))
    .AddTokenExchangeGrant(options =>
    {
        options.TokenEndpoint = new Uri("https://sts.example/oauth2/token");
        options.ClientId = "gateway";
        options.ClientSecret = builder.Configuration["Sts:ClientSecret"];
        options.Audience = "orders-api";
        options.Scopes = ScopeSet.Parse("orders:read");
        options.SubjectTokenProvider = static (services, request, cancellationToken) =>
        {
            // The caller's access token, as the (already authenticated) request to this API carried it.
            var header = services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request.Headers.Authorization.ToString();
            var token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            return ValueTask.FromResult(token);
        };
    });

var app = builder.Build();
app.MapGet("/my-orders", async (IHttpClientFactory clients) => await clients.CreateClient("orders").GetStringAsync("orders"));
app.Run();
    }
}
