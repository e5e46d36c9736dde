using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace ScopeClaims.Tests.Shared;

/// <summary>
/// The Redis server tests share, found through SCOPECLAIMS_REDIS (<c>bash .ci/redis.sh start</c> starts one at
/// 127.0.0.1:6390). Without it a test is reported as skipped with the reason, outside CI; under CI (CI=true) it fails.
/// Tests never stop or flush that server and use key prefixes of their own.
/// </summary>
/// <remarks>Linked into each test project that needs it; that project references Xunit.SkippableFact.</remarks>
internal static class SharedRedis
{
    /// <summary>Returns the server's address, or skips (fails under CI) when it is not set or not answering.</summary>
    public static async Task<string> RequireAsync(ITestOutputHelper output)
    {
        var address = Environment.GetEnvironmentVariable("SCOPECLAIMS_REDIS");
        var problem = string.IsNullOrWhiteSpace(address)
            ? "SCOPECLAIMS_REDIS is not set"
            : await PingAsync(address) is { } error ? $"Redis not reachable at {address} ({error})" : null;
        if (problem is null)
        {
            return address!;
        }

        var reason = $"{problem}: set SCOPECLAIMS_REDIS (e.g. 127.0.0.1:6390) to a running Redis; 'bash .ci/redis.sh start' starts one there.";
        output.WriteLine(reason);
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail("CI must run the Redis tests. " + reason);
        }

        Skip.If(true, reason);
        return address!;
    }

    /// <summary>Sends PING over RESP and expects +PONG; returns what went wrong, or <see langword="null"/>.</summary>
    private static async Task<string?> PingAsync(string address)
    {
        var parts = address.Split(',')[0].Split(':');
        var port = parts.Length > 1 && int.TryParse(parts[^1], out var p) ? p : 6379;
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(parts[0], port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) ? null : $"PING answered '{reply.Trim()}'";
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return ex.Message;
        }
    }
}
