using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>
/// A redis-server process of a test's own, on 127.0.0.1 and a free port, without persistence: a test may kill it, pause
/// it (SIGSTOP/SIGCONT), make it sleep (<c>DEBUG SLEEP</c>) and start it again on the same port. The shared server at
/// SCOPECLAIMS_REDIS is never touched. The binary is SCOPECLAIMS_REDIS_SERVER when set, else <c>redis-server</c> on
/// PATH (<c>bash .ci/redis.sh start</c> installs it).
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _binary;
    private Process? _process;
    private bool _paused;

    private RedisServerProcess(string binary, int port)
    {
        _binary = binary;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The redis-server binary, or why there is none.</summary>
    public static (string? Path, string? Missing) FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable("SCOPECLAIMS_REDIS_SERVER");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? (configured, null) : (null, $"SCOPECLAIMS_REDIS_SERVER names '{configured}', which does not exist");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return (candidate, null);
            }
        }

        return (null, "redis-server is not on PATH and SCOPECLAIMS_REDIS_SERVER is not set ('bash .ci/redis.sh start' installs it)");
    }

    public static async Task<RedisServerProcess> StartAsync(string binary)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var server = new RedisServerProcess(binary, port);
        try
        {
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port, empty, and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The server is running.");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "local" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (await SendAsync("PING", TimeSpan.FromSeconds(1)) != "+PONG")
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not answer PING on {Configuration} within {StartTimeout.TotalSeconds} s (exited: {_process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process (SIGKILL): every entry is lost, every connection reset.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The server has not started.");
        process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        _paused = false;
    }

    /// <summary>Stops the process (SIGSTOP): connections stay open, nothing is answered until <see cref="ResumeAsync"/>.</summary>
    public async Task PauseAsync()
    {
        await SignalAsync("-STOP");
        _paused = true;
    }

    public async Task ResumeAsync()
    {
        await SignalAsync("-CONT");
        _paused = false;
    }

    /// <summary>Sends <c>DEBUG SLEEP</c>: the server answers nothing to anyone for that long. Returns once it is asleep.</summary>
    public Task<string> SleepAsync(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return SendAsync($"DEBUG SLEEP {seconds}", duration + TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends one inline command and returns the first line of the reply, or an error description.</summary>
    public async Task<string> SendAsync(string command, TimeSpan timeout)
    {
        try
        {
            using var client = new TcpClient();
            using var cancel = new CancellationTokenSource(timeout);
            await client.ConnectAsync(IPAddress.Loopback, Port, cancel.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancel.Token);
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, cancel.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return "error: " + ex.GetType().Name;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            if (_paused)
            {
                await SignalAsync("-CONT");
            }

            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("The server has not started.");
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} exited with {kill.ExitCode}.");
        }
    }
}
