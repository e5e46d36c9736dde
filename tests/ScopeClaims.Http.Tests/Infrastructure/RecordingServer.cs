using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>
/// Another origin on 127.0.0.1 (Kestrel, its own random port) that a hostile endpoint redirects to: it records every
/// request it receives and answers each with <see cref="Response"/>, by default a well-formed token response whose
/// token must never be used.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    public const string StolenToken = "stolen-token-from-another-origin";

    private readonly WebApplication _app;

    private RecordingServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Each request received: method, path, Authorization header and body.</summary>
    public ConcurrentQueue<(string Method, string Path, string Authorization, string Body)> Requests { get; } = new();

    public (int Status, string ContentType, string Body) Response { get; set; } =
        (200, "application/json", $$"""{"access_token":"{{StolenToken}}","token_type":"Bearer","expires_in":3600}""");

    public static async Task<RecordingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RecordingServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue((context.Request.Method, context.Request.Path.ToString(), context.Request.Headers.Authorization.ToString(), body));
        context.Response.StatusCode = Response.Status;
        context.Response.ContentType = Response.ContentType;
        await context.Response.WriteAsync(Response.Body);
    }
}
