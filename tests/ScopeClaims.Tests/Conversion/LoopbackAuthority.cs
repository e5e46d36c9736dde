using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ScopeClaims;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Tests.Conversion;

/// <summary>An OpenID Connect authority on 127.0.0.1 (random port) serving discovery and JWKS, with switchable faults.</summary>
public sealed class LoopbackAuthority : IAsyncDisposable
{
    private LoopbackServer? _server;
    private int _discoveryRequests;
    private int _jwksRequests;

    private LoopbackAuthority(SigningKeySet keys)
    {
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

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("The authority has not started.");

    public string Issuer => Address.AbsoluteUri;

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    internal static async Task<LoopbackAuthority> StartAsync(TokenSigningKey key)
    {
        var authority = new LoopbackAuthority(new SigningKeySet(key));
        authority._server = await LoopbackServer.StartAsync(authority.Map);
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
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            Interlocked.Increment(ref _discoveryRequests);
            return Mode switch
            {
                Behavior.ServerError => Results.StatusCode(500),
                Behavior.Redirect => Results.Redirect(new Uri(RedirectTarget!, ".well-known/openid-configuration").AbsoluteUri, permanent: false, preserveMethod: true),
                Behavior.Garbage => Results.Text("<html>not json", "application/json"),
                Behavior.DuplicateJwksUri => Results.Text($$"""{"issuer":"{{Issuer}}","jwks_uri":"{{RedirectTarget}}jwks","jwks_uri":"{{Issuer}}jwks"}""", "application/json"),
                _ => Results.Text($$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}jwks"}""", "application/json"),
            };
        });
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _jwksRequests);
            return Mode switch
            {
                Behavior.ServerError => Results.StatusCode(500),
                Behavior.Redirect => Results.Redirect(new Uri(RedirectTarget!, "jwks").AbsoluteUri, permanent: false, preserveMethod: true),
                Behavior.Garbage => Results.Text("{\"keys\":", "application/json"),
                Behavior.EmptyJwks => Results.Text("{\"keys\":[]}", "application/json"),
                Behavior.DuplicateKeys => Results.Text(Decoy!.ExportPublicJwks().TrimEnd('}') + "," + Keys.ExportPublicJwks().TrimStart('{'), "application/json"),
                _ => Results.Text(Keys.ExportPublicJwks(), "application/json"),
            };
        });
    }
}
