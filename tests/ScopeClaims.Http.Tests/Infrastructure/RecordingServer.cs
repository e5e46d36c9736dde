using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>
/// Another origin on 127.0.0.1 (Kestrel, its own random port) that a hostile endpoint redirects to: it records every
/// request it receives and answers each with <see cref="Response"/>, by default a well-formed token response whose
/// token must never be used.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    public const string StolenToken = "stolen-token-from-another-origin";

    private LoopbackServer? _server;

    private RecordingServer()
    {
    }

    public Uri BaseAddress => _server?.Address ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Each request received: method, path, Authorization header and body.</summary>
    public ConcurrentQueue<(string Method, string Path, string Authorization, string Body)> Requests { get; } = new();

    public (int Status, string ContentType, string Body) Response { get; set; } =
        (200, "application/json", $$"""{"access_token":"{{StolenToken}}","token_type":"Bearer","expires_in":3600}""");

    public static async Task<RecordingServer> StartAsync()
    {
        var server = new RecordingServer();
        server._server = await LoopbackServer.StartAsync(app => app.Run(server.HandleAsync));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
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
