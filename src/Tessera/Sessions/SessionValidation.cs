namespace Tessera.Sessions;

/// <summary>The outcome of presenting a session secret: the session, or a stable error code.</summary>
public readonly record struct SessionValidation(SessionRecord? Session, TesseraError? Error)
{
    public bool Succeeded => Error is null && Session is not null;

    /// <summary>Set when a binding mismatch was tolerated by flagging the session.</summary>
    public bool BindingMismatch { get; init; }

    internal static SessionValidation Fail(string code, string message) => new(null, new TesseraError(code, message));

    /// <summary>A failure that still names the session it concerns (expired or revoked).</summary>
    internal static SessionValidation Fail(SessionRecord session, string code, string message) => new(session, new TesseraError(code, message));
}
