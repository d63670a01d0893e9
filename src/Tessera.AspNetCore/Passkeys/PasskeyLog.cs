using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// Passkey log events, EventIds 9640–9659. Users by id and credentials by their (public) id; never a
/// challenge, a state, a signature or a key.
/// </summary>
internal static partial class PasskeyLog
{
    [LoggerMessage(EventId = 9640, Level = LogLevel.Information, Message = "Passkey {CredentialId} registered for user {UserId}")]
    public static partial void Registered(ILogger logger, string userId, string credentialId);

    [LoggerMessage(EventId = 9641, Level = LogLevel.Information, Message = "Passkey registration for user {UserId} refused: {Reason}")]
    public static partial void RegistrationRefused(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 9642, Level = LogLevel.Information, Message = "User {UserId} signed in with passkey {CredentialId}")]
    public static partial void SignedIn(ILogger logger, string userId, string credentialId);

    [LoggerMessage(EventId = 9643, Level = LogLevel.Information, Message = "Passkey sign-in refused: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 9644, Level = LogLevel.Warning, Message = "Passkey {CredentialId} of user {UserId} came with signature counter {Received} after {Stored}: possibly a cloned authenticator; refused")]
    public static partial void CloneSuspected(ILogger logger, string userId, string credentialId, uint stored, uint? received);

    [LoggerMessage(EventId = 9645, Level = LogLevel.Warning, Message = "A passkey {Ceremony} state was presented a second time; refused")]
    public static partial void StateReplayed(ILogger logger, string ceremony);

    [LoggerMessage(EventId = 9646, Level = LogLevel.Information, Message = "Passkey {CredentialId} of user {UserId} removed by {ActorId}")]
    public static partial void Removed(ILogger logger, string userId, string credentialId, string actorId);

    [LoggerMessage(EventId = 9647, Level = LogLevel.Information, Message = "Passkey {CredentialId} of user {UserId} renamed")]
    public static partial void Renamed(ILogger logger, string userId, string credentialId);

    [LoggerMessage(EventId = 9648, Level = LogLevel.Information, Message = "User {UserId} removed their password: passkeys only; {Count} other sessions ended")]
    public static partial void PasswordRemoved(ILogger logger, string userId, int count);

    [LoggerMessage(EventId = 9649, Level = LogLevel.Information, Message = "Passkey sign-in of user {UserId} started session {SessionId} ({Kind})")]
    public static partial void SessionStarted(ILogger logger, string userId, string sessionId, string kind);

    [LoggerMessage(EventId = 9650, Level = LogLevel.Information, Message = "Passkey sign-in of user {UserId} for tokens ({Kind}); the token endpoint logs the session it starts")]
    public static partial void SessionStarting(ILogger logger, string userId, string kind);
}
