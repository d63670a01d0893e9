namespace Tessera.Server.Hosting;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Tessera listening on {Addresses}; data in {DataDirectory}")]
    public static partial void Started(ILogger logger, string addresses, string dataDirectory);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Purged {Count} ended sessions")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Session purge failed; retrying at the next interval")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);
}
