namespace Tessera.Server.Hosting;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Tessera listening on {Addresses}; data in {DataDirectory}")]
    public static partial void Started(ILogger logger, string addresses, string dataDirectory);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Purged {Count} ended sessions")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Purge of ended sessions or expired authorization codes failed; retrying at the next interval")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Purged {Count} expired authorization codes")]
    public static partial void PurgedCodes(ILogger logger, int count);
}
