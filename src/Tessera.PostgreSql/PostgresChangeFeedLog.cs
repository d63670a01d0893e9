using Microsoft.Extensions.Logging;

namespace Tessera.PostgreSql;

/// <summary>The change feed's log lines (EventIds 9720–9729, issue #13). Payloads are never logged: they are not secret, but they are not the log's business either.</summary>
internal static partial class PostgresChangeFeedLog
{
    [LoggerMessage(EventId = 9720, Level = LogLevel.Information, Message = "Session change feed listening on channel {Channel} (server process {ProcessId})")]
    public static partial void Listening(ILogger logger, string channel, int processId);

    [LoggerMessage(EventId = 9721, Level = LogLevel.Warning, Message = "Session change feed lost its connection; listeners stop trusting what they hold after {Staleness}; reconnecting in {Delay}")]
    public static partial void ConnectionLost(ILogger logger, Exception exception, TimeSpan staleness, TimeSpan delay);

    [LoggerMessage(EventId = 9722, Level = LogLevel.Warning, Message = "Session change feed could not connect; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 9723, Level = LogLevel.Warning, Message = "Session change feed heard a payload it cannot read ({Length} characters); every listener resets")]
    public static partial void Unreadable(ILogger logger, int length);

    [LoggerMessage(EventId = 9724, Level = LogLevel.Warning, Message = "Publishing a session change ({Kind}) failed; listeners bound their staleness")]
    public static partial void PublishFailed(ILogger logger, Exception exception, Tessera.Sessions.Changes.SessionChangeKind kind);

    [LoggerMessage(EventId = 9725, Level = LogLevel.Error, Message = "A session change listener threw; it must return quickly and never throw")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);
}
