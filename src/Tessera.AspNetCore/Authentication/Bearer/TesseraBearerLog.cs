using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>The bearer scheme's log messages. Tokens never appear; key ids, subjects and session ids are public handles.</summary>
internal static partial class TesseraBearerLog
{
    public const string Category = "Tessera.AspNetCore.Bearer";

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Bearer token of {Subject} accepted (key {KeyId})")]
    public static partial void Accepted(ILogger logger, string subject, string keyId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Bearer token refused: {Code}")]
    public static partial void Refused(ILogger logger, string code);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Fetched {KeyCount} keys ({SkippedKeys} skipped) for issuer {Issuer}")]
    public static partial void KeysFetched(ILogger logger, int keyCount, int skippedKeys, string issuer);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Fetching the issuer's keys failed ({Reason}): {Detail}")]
    public static partial void FetchFailed(ILogger logger, string reason, string detail, Exception? exception);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Unknown key id: refetching the issuer's keys")]
    public static partial void RefetchForUnknownKey(ILogger logger);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Introspection failed ({Reason})")]
    public static partial void IntrospectionFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Session {SessionId} is no longer active at the issuer")]
    public static partial void SessionInactive(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Session {SessionId} is on the revocation list")]
    public static partial void SessionOnRevocationList(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "The revocation list could not be read ({Reason})")]
    public static partial void RevocationListFailed(ILogger logger, string reason, Exception? exception);
}
