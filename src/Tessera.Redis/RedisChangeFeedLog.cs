using Microsoft.Extensions.Logging;

namespace Tessera.Redis;

/// <summary>Log messages of <see cref="RedisSessionChangeFeed"/> (EventIds 9710–9719).</summary>
internal static partial class RedisChangeFeedLog
{
    [LoggerMessage(EventId = 9710, Level = LogLevel.Information, Message = "Session change feed listening on {Channel}")]
    public static partial void Connected(ILogger logger, string channel);

    [LoggerMessage(EventId = 9711, Level = LogLevel.Warning, Message = "Session change feed lost its {ConnectionType} connection ({FailureType})")]
    public static partial void Disconnected(ILogger logger, StackExchange.Redis.ConnectionType connectionType, StackExchange.Redis.ConnectionFailureType failureType);

    [LoggerMessage(EventId = 9712, Level = LogLevel.Warning, Message = "Session change feed could not subscribe; retrying")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9713, Level = LogLevel.Warning, Message = "Session change could not be published")]
    public static partial void PublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9714, Level = LogLevel.Warning, Message = "Session change feed did not hear its own heartbeat within {Wait}; the subscription is treated as lost and made again")]
    public static partial void HeartbeatLost(ILogger logger, TimeSpan wait);

    // EventId from pgmisc's range (9790–9794): a lost node's connection that nothing restores.
    [LoggerMessage(EventId = 9790, Level = LogLevel.Warning, Message = "Session change feed lost a connection that was not restored within {Wait}; subscribing again")]
    public static partial void NeverRestored(ILogger logger, TimeSpan wait);
}
