namespace Tessera.Sessions;

/// <summary>The outcome of presenting a session secret: the session, or a stable error code.</summary>
public readonly record struct SessionValidation(SessionRecord? Session, TesseraError? Error)
{
    /// <summary>True when the credential resolved to a live session; otherwise <see cref="Error"/> says why.</summary>
    public bool Succeeded => Error is null && Session is not null;

    /// <summary>Set when a binding mismatch was tolerated by flagging the session.</summary>
    public bool BindingMismatch { get; init; }

    /// <summary>
    /// Set when a well-formed credential named a session this store does not hold (or one of another
    /// user or kind): never issued by this server, or deleted after its retention. Expired and revoked
    /// sessions are still held, so they never set it. Worth a security log line (ASVS 5 V16.3.3).
    /// </summary>
    public bool UnknownSession { get; init; }

    /// <summary>The <see cref="TesseraError.Reason"/> of a refused access token whose <c>sid</c> is unknown.</summary>
    public const string UnknownSessionReason = "session_unknown";

    internal static SessionValidation Fail(string code, string message) => new(null, new TesseraError(code, message));

    /// <summary>A failure that still names the session it concerns (expired or revoked).</summary>
    internal static SessionValidation Fail(SessionRecord session, string code, string message) => new(session, new TesseraError(code, message));
}
