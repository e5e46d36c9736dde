using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Reliability.Tests.Infrastructure;

/// <summary>An OpenID Connect authority on 127.0.0.1 (random port) that accepts every request and never answers, until it stops.</summary>
public sealed class HangingAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private int _requests;

    private HangingAuthority(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<HangingAuthority> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var authority = new HangingAuthority(app);

        app.Run(async context =>
        {
            Interlocked.Increment(ref authority._requests);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, authority._stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, both.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        authority.Address = new Uri(address.TrimEnd('/') + "/");
        return authority;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
