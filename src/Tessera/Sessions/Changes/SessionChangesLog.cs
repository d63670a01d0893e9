using Microsoft.Extensions.Logging;

namespace Tessera.Sessions.Changes;

/// <summary>Log messages of the change-feed consumers (EventIds 9701–9709). Session ids only, never a secret or its hash.</summary>
internal static partial class SessionChangesLog
{
    [LoggerMessage(EventId = 9701, Level = LogLevel.Information, Message = "Pushed revocation list reloaded: {Count} session ids")]
    public static partial void Reloaded(ILogger logger, int count);

    [LoggerMessage(EventId = 9702, Level = LogLevel.Warning, Message = "Pushed revocation list could not reload; checks ask the store until it does")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9703, Level = LogLevel.Warning, Message = "Pushed revocation list is full ({MaxEntries} ids); checks ask the store until a reload fits")]
    public static partial void Overflowed(ILogger logger, int maxEntries);

    [LoggerMessage(EventId = 9704, Level = LogLevel.Information, Message = "Session change feed lost; local answers stop after {Staleness}")]
    public static partial void Disconnected(ILogger logger, TimeSpan staleness);
}
