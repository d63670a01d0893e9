using System.Text;
using Microsoft.Extensions.Logging;

namespace Tessera.Provider.RelyingParty.Tests;

/// <summary>
/// Warnings and errors of an in-test app, kept in memory: when the stock handler refuses something
/// Tessera sent (an ID token claim, a discovery field), its message is what a failing test needs.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Append(string line)
    {
        lock (_text)
        {
            _text.AppendLine(line);
        }
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Append($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
