using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ScopeClaims.KeyManagement.Redis.Tests;

/// <summary>The shared Redis of the test run (SCOPECLAIMS_REDIS), and Redis servers of a test's own on free ports.</summary>
internal static class RedisFixture
{
    /// <summary>The shared server's address; skips the test when it is not set or not reachable, and fails it on CI.</summary>
    public static string RequireSharedRedis()
    {
        var address = Environment.GetEnvironmentVariable("SCOPECLAIMS_REDIS");
        string? problem = null;
        if (string.IsNullOrWhiteSpace(address))
        {
            problem = "SCOPECLAIMS_REDIS is not set";
        }
        else
        {
            try
            {
                using var connection = ConnectionMultiplexer.Connect(address + ",connectTimeout=2000");
                connection.GetDatabase().Ping();
            }
            catch (RedisException ex)
            {
                problem = $"Redis not reachable at {address} ({ex.GetType().Name})";
            }
        }

        if (problem is null)
        {
            return address!;
        }

        var reason = $"{problem}: set SCOPECLAIMS_REDIS (e.g. 127.0.0.1:6390) to a running Redis; 'bash .ci/redis.sh start' starts one there.";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail("CI must run the Redis tests. " + reason);
        }

        Skip.If(true, reason);
        return address!;
    }

    /// <summary>A key of this test's own in the shared server, removed at the end.</summary>
    public static string NewKey() => $"scopeclaims-tests:signing-keys:{Guid.NewGuid():N}";

    public static void DeleteKey(string address, string key)
    {
        using var connection = ConnectionMultiplexer.Connect(address);
        connection.GetDatabase().KeyDelete(key);
    }

    public static HashEntry[] Entries(string address, string key)
    {
        using var connection = ConnectionMultiplexer.Connect(address);
        return connection.GetDatabase().HashGetAll(key);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A redis-server process of a test's own, on 127.0.0.1 and a free port, with an append-only file so a restart keeps its data.</summary>
internal sealed class OwnRedisServer : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("scopeclaims-redis-").FullName;
    private Process? _process;

    public OwnRedisServer()
    {
        Port = RedisFixture.FreePort();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public void Start()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var connection = ConnectionMultiplexer.Connect(Address + ",connectTimeout=500");
                connection.GetDatabase().Ping();
                return;
            }
            catch (RedisException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException($"redis-server on {Address} did not answer within 10 s.");
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        Directory.Delete(_directory, recursive: true);
    }
}
