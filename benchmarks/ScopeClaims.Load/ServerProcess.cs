using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace ScopeClaims.Load;

/// <summary>A server variant in a child process of this program; it stops when disposed (its stdin closes).</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServerProcess> StartAsync(string variant, string keyBase64)
    {
        var start = new ProcessStartInfo { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        var host = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.FileName = host;
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(variant);
        start.Environment[Servers.KeyVariable] = keyBase64;
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the {variant} server did not start: {line}");
        }

        return new ServerProcess(process, new Uri(line["listening ".Length..].TrimEnd('/') + "/"));
    }

    /// <summary>The server's allocated bytes, gen0/1/2 collection counts and CPU time (ticks, all threads) so far.</summary>
    public async Task<long[]> StatsAsync(HttpClient client)
    {
        var text = await client.GetStringAsync(new Uri(Address, "__stats"));
        return text.Split(' ').Select(static v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
