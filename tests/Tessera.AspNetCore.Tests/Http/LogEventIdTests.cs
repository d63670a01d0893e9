using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Tests.Http;

/// <summary>
/// Operators filter and alert on event ids, so one id must mean one event: two log classes that
/// picked the same number (as the provider's and the admin audit's once did) fail here.
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EveryLogEventOfTheLibraryHasItsOwnId()
    {
        var events = typeof(TesseraServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.NotEmpty(events);
        string[] clashes = [.. events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method.DeclaringType!.Name + "." + e.Method.Name))}")];
        Assert.Empty(clashes);
    }
}
