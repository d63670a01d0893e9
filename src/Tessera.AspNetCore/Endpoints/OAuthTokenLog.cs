using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>The OAuth token, revocation and introspection endpoints' log messages: client ids, grant types, session handles and codes; never a secret, code or token.</summary>
public sealed partial class OAuthTokenLog
{
    private OAuthTokenLog()
    {
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Grant {GrantType} issued tokens to client {ClientId}, session {Handle}")]
    internal static partial void Issued(ILogger logger, string grantType, string clientId, string handle);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Grant {GrantType} refused for client {ClientId}: {Code}")]
    internal static partial void Refused(ILogger logger, string grantType, string clientId, string code);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Client authentication refused at {Path}: {Code}")]
    internal static partial void ClientRefused(ILogger logger, string path, string code);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Token revoked by client {ClientId}")]
    internal static partial void Revoked(ILogger logger, string clientId);
}
