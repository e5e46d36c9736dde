using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Reliability.Tests.Infrastructure;

/// <summary>An OpenID Connect authority on 127.0.0.1 (random port) that accepts every request and never answers, until it stops.</summary>
public sealed class HangingAuthority : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackServer? _server;
    private int _requests;

    private HangingAuthority()
    {
    }

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("The authority has not started.");

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<HangingAuthority> StartAsync()
    {
        var authority = new HangingAuthority();
        authority._server = await LoopbackServer.StartAsync(app => app.Run(authority.HangAsync));
        return authority;
    }

    public async ValueTask DisposeAsync()
    {
        // Note: the hanging requests are released first, so stopping the server does not wait for them.
        await _stopping.CancelAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task HangAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }
}
