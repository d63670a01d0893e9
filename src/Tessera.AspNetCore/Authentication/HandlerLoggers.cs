using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// The loggers of Tessera's authentication handlers, made once per logger factory and category.
/// A handler is created for every request (ASP.NET Core resolves it per request), and
/// <see cref="ILoggerFactory.CreateLogger"/> takes the factory's lock each time; the logger it
/// returns for a category is the same object every time, so asking once is enough.
/// </summary>
internal static class HandlerLoggers
{
    // Keyed by the factory (weakly: a disposed host's factory goes with it), then by category.
    private static readonly ConditionalWeakTable<ILoggerFactory, ConcurrentDictionary<string, ILogger>> Made = new();

    /// <summary>The factory's logger for <paramref name="category"/>, created on first use.</summary>
    public static ILogger For(ILoggerFactory factory, string category)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ConcurrentDictionary<string, ILogger> byCategory = Made.GetValue(factory, static _ => new ConcurrentDictionary<string, ILogger>(StringComparer.Ordinal));
        return byCategory.TryGetValue(category, out ILogger? logger) ? logger : byCategory.GetOrAdd(category, factory.CreateLogger);
    }
}
