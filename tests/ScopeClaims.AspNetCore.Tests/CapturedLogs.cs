using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.AspNetCore.Tests;

/// <summary>Every log message written, with its exception, so tests can check that no token leaks into logs.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, EventId Event, string Text)> _entries = new();

    public IReadOnlyCollection<(string Category, EventId Event, string Text)> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, eventId, formatter(state, exception) + " " + exception));
    }
}
