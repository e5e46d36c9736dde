using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ScopeClaims.AspNetCore.Redis.Tests.Readme;

/// <summary>The package README's samples, compiled here (PackageReadmeTests checks they match).</summary>
internal static class ReadmeSamples
{
    public static void ConfigurationString(WebApplicationBuilder builder)
    {
builder.Services.AddTokenExchange(o => { /* clients, converters: see ScopeClaims.AspNetCore's README */ });
builder.Services.AddTokenExchangeRedisReplayStore(builder.Configuration["Redis:TokenExchange"]!);
    }

    public static void SharedConnection(WebApplicationBuilder builder, string redisConfiguration)
    {
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisConfiguration));
builder.Services.AddTokenExchangeRedisReplayStore(sp => sp.GetRequiredService<IConnectionMultiplexer>());
    }
}
