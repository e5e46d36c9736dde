using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>A client application: the default ScopeClaims profile signs the assertion, the "partner" HttpClient carries the grant.</summary>
internal static class GrantClient
{
    public const string Name = "partner";

    /// <summary>One RSA key for the whole run, published to every partner server as JWKS.</summary>
    public static readonly SigningKeySet Keys = new(TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "client-key-1"));

    public static readonly ScopeSet Scopes = ScopeSet.Parse("read:appointments read:msg");

    public static Task<PartnerServer> StartPartnerAsync() => PartnerServer.StartAsync(Keys.ExportPublicJwks(), "client-" + Guid.NewGuid().ToString("N"));

    public static ServiceProvider Build(PartnerServer partner, Action<JwtBearerGrantOptions>? configure = null, Action<IServiceCollection>? services = null, LogSink? logs = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        collection.AddArrayScopeTokens(o =>
        {
            o.Issuer = partner.ClientId;
            o.Audiences.Add(partner.TokenEndpoint.AbsoluteUri);
            o.SigningKeys = Keys;
        });
        collection.AddHttpClient(Name, c => c.BaseAddress = partner.ApiBase).AddJwtBearerGrant(o =>
        {
            o.TokenEndpoint = partner.TokenEndpoint;
            o.Scopes = Scopes;
            configure?.Invoke(o);
        });
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static HttpClient Client(this IServiceProvider provider) => provider.GetRequiredService<IHttpClientFactory>().CreateClient(Name);
}

/// <summary>Collects every log message with its state values, at every level.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Text)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            sink.Entries.Enqueue((category, logLevel, eventId, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }
}
