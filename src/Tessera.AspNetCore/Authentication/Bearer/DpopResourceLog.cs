using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>The resource side of DPoP's log messages (EventIds 9620–9639). Tokens and proofs never appear; key thumbprints are public.</summary>
internal static partial class DpopResourceLog
{
    public const string Category = "Tessera.AspNetCore.Dpop.Resource";

    [LoggerMessage(EventId = 9620, Level = LogLevel.Debug, Message = "DPoP-bound token accepted with a proof by key {KeyThumbprint}")]
    public static partial void Accepted(ILogger logger, string keyThumbprint);

    [LoggerMessage(EventId = 9621, Level = LogLevel.Information, Message = "DPoP check refused the request: {Code} ({Detail})")]
    public static partial void Refused(ILogger logger, string code, string detail);

}
