// The package README's code samples, compiled. PackageReadmeTests checks that every ```csharp block of
// src/ScopeClaims.KeyManagement.Redis/README.md appears here verbatim, so the README cannot drift from the API.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ScopeClaims.KeyManagement.Redis.Tests.Readme;

internal static class ReadmeSamples
{
    public static void Fleet(string[] args)
    {
var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("redis")!;   // e.g. "redis.internal:6379,password=...,ssl=true"

// Every host shares one Data Protection key ring and application name (here in the same Redis).
builder.Services.AddDataProtection()
    .SetApplicationName("partner-tokens")
    .PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(redis), "partner-tokens:dataprotection");

builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Managed = true;
});
builder.Services.AddScopeTokenKeyManagement(keys => keys.Algorithm = "ES256")
    .PersistKeysToRedis(redis, "partner-tokens:signing-keys");

var app = builder.Build();
app.MapScopeTokenMetadata();
app.Run();
    }

    // The root README's "Keys without key files" samples.
    public static void RootSingleMachine(WebApplicationBuilder builder)
    {
builder.Services.AddArrayScopeTokens(options =>
{
    options.Issuer = "https://issuer.example";
    options.Audiences.Add("https://partner.example/oauth2/token");
    options.SigningKey.Managed = true;                       // or "SigningKey": { "Managed": true }
});
builder.Services.AddScopeTokenKeyManagement(keys => keys.Algorithm = "ES256")
    .PersistKeysToFileSystem("/var/lib/myapp/keys");
    }

    public static void RootFleet(WebApplicationBuilder builder, string redis)
    {
builder.Services.AddDataProtection()
    .SetApplicationName("partner-tokens")
    .PersistKeysToStackExchangeRedis(ConnectionMultiplexer.Connect(redis), "partner-tokens:dataprotection");
builder.Services.AddScopeTokenKeyManagement(keys => keys.Algorithm = "ES256")
    .PersistKeysToRedis(redis, "partner-tokens:signing-keys");
    }
}
