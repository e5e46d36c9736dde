using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.AspNetCore.Tests;

/// <summary>
/// An application under test on a real Kestrel server on 127.0.0.1 with a random port, started inside a test and stopped
/// when disposed, with a client pointed at it and every log message captured.
/// </summary>
internal sealed class KestrelApp : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private KestrelApp(LoopbackServer server, CapturedLogs logs)
    {
        _server = server;
        Logs = logs;
        Client = new HttpClient { BaseAddress = server.Address };
    }

    public Uri Address => _server.Address;

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _server.Services;

    public static async Task<KestrelApp> StartAsync(Action<WebApplicationBuilder> configureServices, Action<WebApplication> configureApp)
    {
        var logs = new CapturedLogs();
        var server = await LoopbackServer.StartAsync(
            configureApp,
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
                configureServices(builder);
            });
        return new KestrelApp(server, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
