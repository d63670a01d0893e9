namespace Tessera.Audit;

/// <summary>The stable names of audited security events (<see cref="AuditEvent.Type"/>).</summary>
public static class AuditEventTypes
{
    /// <summary>A password (or other) sign-in succeeded and a session was created.</summary>
    public const string SignInSucceeded = "signin.succeeded";

    /// <summary>A sign-in was refused (wrong password, unknown account, disabled or locked account); <see cref="AuditEvent.Outcome"/> holds the code.</summary>
    public const string SignInFailed = "signin.failed";

    /// <summary>Failures reached the lockout: a client must wait, or the account-wide ceiling was reached.</summary>
    public const string LockedOut = "signin.locked_out";

    /// <summary>A rotated-away refresh token came back: the session was revoked (RFC 9700 §4.14.2).</summary>
    public const string RefreshTokenReused = "token.reuse_detected";

    /// <summary>A session ended; <see cref="AuditEvent.Outcome"/> holds the revocation reason, <see cref="AuditEvent.ActorId"/> who ended it.</summary>
    public const string SessionEnded = "session.ended";

    /// <summary>An account was created (registration, the CLI).</summary>
    public const string AccountCreated = "account.created";

    /// <summary>An account was deleted, by its user or an admin.</summary>
    public const string AccountDeleted = "account.deleted";

    /// <summary>A user changed their password.</summary>
    public const string PasswordChanged = "password.changed";

    /// <summary>An admin API call or CLI administration command; <see cref="AuditEvent.Detail"/> holds the action (<c>user.disable</c>…), <see cref="AuditEvent.Outcome"/> the status.</summary>
    public const string AdminAction = "admin.action";
}
