using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScopeClaims;

namespace ScopeClaims.Tests.Conversion;

/// <summary>An OpenID Connect authority on 127.0.0.1 (random port) serving discovery and JWKS, with switchable faults.</summary>
public sealed class LoopbackAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _discoveryRequests;
    private int _jwksRequests;

    private LoopbackAuthority(WebApplication app, SigningKeySet keys)
    {
        _app = app;
        Keys = keys;
    }

    public enum Behavior
    {
        Healthy,
        ServerError,
        Garbage,
        EmptyJwks,

        /// <summary>Discovery and JWKS answer 307 with a Location on <see cref="RedirectTarget"/>.</summary>
        Redirect,

        /// <summary>The JWKS names "keys" twice: a decoy set of <see cref="RedirectTarget"/>'s authority first.</summary>
        DuplicateKeys,

        /// <summary>The metadata names "jwks_uri" twice: <see cref="RedirectTarget"/>'s JWKS first.</summary>
        DuplicateJwksUri,
    }

    public Uri? RedirectTarget { get; set; }

    internal SigningKeySet? Decoy { get; set; }

    internal SigningKeySet Keys { get; }

    public Behavior Mode { get; set; } = Behavior.Healthy;

    public Uri Address { get; private set; } = null!;

    public string Issuer => Address.AbsoluteUri;

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    internal static async Task<LoopbackAuthority> StartAsync(TokenSigningKey key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var authority = new LoopbackAuthority(app, new SigningKeySet(key));

        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            Interlocked.Increment(ref authority._discoveryRequests);
            return authority.Mode switch
            {
                Behavior.ServerError => Results.StatusCode(500),
                Behavior.Redirect => Results.Redirect(new Uri(authority.RedirectTarget!, ".well-known/openid-configuration").AbsoluteUri, permanent: false, preserveMethod: true),
                Behavior.Garbage => Results.Text("<html>not json", "application/json"),
                Behavior.DuplicateJwksUri => Results.Text($$"""{"issuer":"{{authority.Issuer}}","jwks_uri":"{{authority.RedirectTarget}}jwks","jwks_uri":"{{authority.Issuer}}jwks"}""", "application/json"),
                _ => Results.Text($$"""{"issuer":"{{authority.Issuer}}","jwks_uri":"{{authority.Issuer}}jwks"}""", "application/json"),
            };
        });
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref authority._jwksRequests);
            return authority.Mode switch
            {
                Behavior.ServerError => Results.StatusCode(500),
                Behavior.Redirect => Results.Redirect(new Uri(authority.RedirectTarget!, "jwks").AbsoluteUri, permanent: false, preserveMethod: true),
                Behavior.Garbage => Results.Text("{\"keys\":", "application/json"),
                Behavior.EmptyJwks => Results.Text("{\"keys\":[]}", "application/json"),
                Behavior.DuplicateKeys => Results.Text(authority.Decoy!.ExportPublicJwks().TrimEnd('}') + "," + authority.Keys.ExportPublicJwks().TrimStart('{'), "application/json"),
                _ => Results.Text(authority.Keys.ExportPublicJwks(), "application/json"),
            };
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        authority.Address = new Uri(address.TrimEnd('/') + "/");
        return authority;
    }

    internal InboundIssuerOptions Inbound(string algorithm = "ES256", TimeSpan? refresh = null, HttpMessageHandler? handler = null)
    {
        var inbound = new InboundIssuerOptions
        {
            Issuer = Issuer,
            Authority = Address,
            MetadataRefreshInterval = refresh ?? TimeSpan.FromSeconds(1),
            BackchannelHandler = handler,
        };
        inbound.Audiences.Add(SourceTokens.Api);
        inbound.Algorithms.Add(algorithm);
        return inbound;
    }

    internal string Token(object scope, TokenSigningKey? key = null)
    {
        key ??= Keys.Active;
        return SourceTokens.Sign(SourceTokens.Header(key), SourceTokens.Payload(scope, issuer: Issuer), key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
