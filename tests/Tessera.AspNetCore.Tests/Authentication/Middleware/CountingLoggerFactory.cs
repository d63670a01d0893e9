using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// An application's logger factory that counts the loggers asked for by category and keeps every
/// line written, with its level and event. The framework's handler base class asks for one logger
/// (its type's full name) in its constructor, so the count of a handler type's category is the
/// number of handlers made (plus the one logger the fast path keeps for that category).
/// </summary>
internal sealed class CountingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, int> _made = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Line> _lines = new();

    /// <summary>One line written: where, what event, how loud, what it said.</summary>
    public sealed record Line(string Category, int EventId, string? EventName, LogLevel Level, string Message);

    /// <summary>How many loggers were asked for under <paramref name="category"/>.</summary>
    public int Made(string category) => _made.TryGetValue(category, out int count) ? count : 0;

    /// <summary>The lines written under <paramref name="category"/>, in order.</summary>
    public IReadOnlyList<Line> LinesOf(string category) => [.. _lines.Where(l => l.Category == category)];

    public ILogger CreateLogger(string categoryName)
    {
        _made.AddOrUpdate(categoryName, 1, static (_, count) => count + 1);
        return new Recorder(categoryName, _lines);
    }

    public void AddProvider(ILoggerProvider provider)
    {
        // Nothing is written anywhere else.
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<Line> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new Line(category, eventId.Id, eventId.Name, logLevel, formatter(state, exception)));
    }
}
