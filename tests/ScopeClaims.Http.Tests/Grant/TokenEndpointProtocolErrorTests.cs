using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>
/// A token endpoint that answers with broken HTTP: .NET quotes the offending line in its HttpRequestException, so an
/// endpoint that echoes the request there must not get the secret into the exception chain or the logs.
/// </summary>
public class TokenEndpointProtocolErrorTests
{
    private const string Secret = "Xy9-echoed.Client_Secret-7Qw";

    [Theory]
    [InlineData("HTTP/1.1 2OO {0}\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Echo {0}: 1\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n{0}\r\n\r\n")]
    public async Task GetAsync_BrokenResponseQuotingTheRequest_SecretIsInNoMessageAtAnyDepthNorInTheLogs(string response)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeOnceAsync(listener, response);
        var logs = new LogSink();
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.TokenEndpoint = new Uri($"http://127.0.0.1:{port}/oauth2/token");
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretPost;
            o.ClientSecret = Secret;
        }, logs: logs);

        var ex = await Assert.ThrowsAsync<TokenEndpointUnavailableException>(() => provider.Client().GetAsync("a"));
        var assertion = await serving;

        Assert.False(ex.IsTimeout);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        var leaks = new[] { Secret, Secret[..8], Secret[^8..], assertion.Split('.')[2][..8] };
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            foreach (var leak in leaks)
            {
                Assert.DoesNotContain(leak, e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(leak, e.ToString(), StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Contains(logs.Entries, e => e.Id.Name == "TokenEndpointUnavailable" && e.Level == LogLevel.Warning);
        foreach (var entry in logs.Entries)
        {
            foreach (var leak in leaks)
            {
                Assert.False(entry.Text.Contains(leak, StringComparison.OrdinalIgnoreCase), $"{entry.Category} {entry.Id}");
            }
        }
    }

    /// <summary>Reads one request, answers <paramref name="response"/> with the form values echoed into it, and returns the assertion it received.</summary>
    private static async Task<string> ServeOnceAsync(TcpListener listener, string response)
    {
        using var socket = await listener.AcceptSocketAsync();
        await using var stream = new NetworkStream(socket);
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && text.Length - end - 4 >= ContentLength(text[..end]))
            {
                break;
            }
        }

        var form = received.ToString().Split("\r\n\r\n", 2)[1].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => WebUtility.UrlDecode(p[1]));
        var echo = $"secret={form["client_secret"]} assertion={form["assertion"]}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, response, echo)));
        await stream.FlushAsync();
        return form["assertion"];
    }

    private static int ContentLength(string head) =>
        int.Parse(head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
