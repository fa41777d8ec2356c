using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AnSinh.Web.Tests.Support;

/// <summary>
/// Every log line the app under test writes (its own categories at every level; the framework's at the production
/// level, Warning), kept so a test can prove that no person's data reaches the logs. Bounded to the last lines.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public const int MaxLines = 200_000;

    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(CapturedLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            sink.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
