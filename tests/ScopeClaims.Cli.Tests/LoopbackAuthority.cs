using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Cli.Tests;

/// <summary>An OpenID Connect authority on 127.0.0.1 (random port) serving discovery and a JWKS printed by <c>keys jwks</c>.</summary>
internal sealed class LoopbackAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackAuthority(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LoopbackAuthority> StartAsync(string jwksJson)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Text($$"""{"issuer":"{{issuer}}","jwks_uri":"{{issuer}}jwks"}""", "application/json"));
        app.MapGet("/jwks", () => Results.Text(jwksJson, "application/json"));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");
        issuer = address.AbsoluteUri;
        return new LoopbackAuthority(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
