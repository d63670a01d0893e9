using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// The application's logger factory, counting the loggers asked for by category: the framework's
/// handler base class asks for one (its type's full name) in its constructor, so the count of a
/// handler type's category is the number of handlers made (plus one the fast path keeps).
/// </summary>
internal sealed class CountingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, int> _made = new(StringComparer.Ordinal);

    public ILoggerFactory Inner => inner;

    public int Made(string category) => _made.TryGetValue(category, out int count) ? count : 0;

    public ILogger CreateLogger(string categoryName)
    {
        _made.AddOrUpdate(categoryName, 1, static (_, count) => count + 1);
        return inner.CreateLogger(categoryName);
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The test disposes the inner factory after the host.
    }
}
