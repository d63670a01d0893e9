using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// DPoP at the token endpoints (EventIds 9601–9619): key thumbprints, session handles, client ids
/// and codes; never a proof, token or nonce.
/// </summary>
public sealed partial class DpopTokenLog
{
    private DpopTokenLog()
    {
    }

    // The path is one of the token endpoints' fixed routes (the request matched it), so it is logged as is.
    [LoggerMessage(EventId = 9601, Level = LogLevel.Information, Message = "DPoP proof refused at {Path}: {Code} ({Reason})")]
    internal static partial void ProofRefused(ILogger logger, Microsoft.AspNetCore.Http.PathString path, string code, string reason);

    [LoggerMessage(EventId = 9602, Level = LogLevel.Debug, Message = "Tokens of session {Handle} bound to DPoP key {KeyThumbprint}")]
    internal static partial void Bound(ILogger logger, string handle, string keyThumbprint);

    [LoggerMessage(EventId = 9603, Level = LogLevel.Warning, Message = "Refresh of a DPoP-bound token refused: {Reason}")]
    internal static partial void BoundRefreshRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 9604, Level = LogLevel.Information, Message = "Client {ClientId} requires DPoP-bound tokens; a token request without a proof was refused")]
    internal static partial void ProofRequired(ILogger logger, string clientId);

    // RFC 9449 §10: a code bound by dpop_jkt redeemed with another key (or none) may be a stolen code; the
    // refusal's own line (4102) is Information, as for any refused grant, so this is the one operators alert on.
    [LoggerMessage(EventId = 9605, Level = LogLevel.Warning, Message = "Authorization code bound to a DPoP key (dpop_jkt) refused for client {ClientId}: {Reason}")]
    internal static partial void BoundCodeRefused(ILogger logger, string clientId, string reason);
}
