using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Cli.Tests;

/// <summary>An OpenID Connect authority on 127.0.0.1 (random port) serving discovery and a JWKS printed by <c>keys jwks</c>.</summary>
internal sealed class LoopbackAuthority : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private LoopbackAuthority(LoopbackServer server)
    {
        _server = server;
    }

    public Uri Address => _server.Address;

    public static async Task<LoopbackAuthority> StartAsync(string jwksJson)
    {
        string? issuer = null;
        var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Text($$"""{"issuer":"{{issuer}}","jwks_uri":"{{issuer}}jwks"}""", "application/json"));
            app.MapGet("/jwks", () => Results.Text(jwksJson, "application/json"));
        });
        issuer = server.Address.AbsoluteUri;
        return new LoopbackAuthority(server);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
