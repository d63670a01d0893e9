namespace Tessera.Sessions;

/// <summary>
/// The checks a session passes whatever credential named it: not revoked, neither of the record's
/// own expiry times reached, and within its binding (<see cref="TesseraSessionOptions.BindTo"/>).
/// A broken binding revokes the session or flags it, as <see cref="TesseraSessionOptions.OnBindingMismatch"/> says.
/// </summary>
internal sealed class SessionChecks(ISessionStore store, TesseraSessionOptions options)
{
    // Synchronous unless a broken binding must be written to the store: the usual request starts no state machine.
    public ValueTask<SessionValidation> CheckAsync(SessionRecord session, SessionClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (session.IsRevoked)
        {
            return new(SessionValidation.Fail(session, TesseraErrorCodes.SessionRevoked, "This session has ended."));
        }

        if (now >= session.AbsoluteExpiresAt || now >= session.IdleExpiresAt)
        {
            return new(SessionValidation.Fail(session, TesseraErrorCodes.SessionExpired, "This session has expired."));
        }

        return BreaksBinding(session, client) ? BindingBrokenAsync(session, now, cancellationToken) : new(new SessionValidation(session, null));
    }

    private async ValueTask<SessionValidation> BindingBrokenAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.OnBindingMismatch == SessionBindingAction.Revoke)
        {
            await store.RevokeAsync(session.Handle, now, RevocationReasons.BindingMismatch, cancellationToken).ConfigureAwait(false);
            return SessionValidation.Fail(session with { RevokedAt = now, RevocationReason = RevocationReasons.BindingMismatch },
                TesseraErrorCodes.SessionRevoked, "This session has ended: the request came from a different client.");
        }

        if (session.FlaggedAt is null)
        {
            await store.FlagAsync(session.Handle, now, RevocationReasons.BindingMismatch, cancellationToken).ConfigureAwait(false);
            session = session with { FlaggedAt = now, FlagReason = RevocationReasons.BindingMismatch };
        }

        return new SessionValidation(session, null) { BindingMismatch = true };
    }

    private bool BreaksBinding(SessionRecord session, SessionClient client)
    {
        bool ip = options.BindTo is SessionBinding.Ip or SessionBinding.Both
            && !string.Equals(session.ClientIp, client.IpAddress, StringComparison.Ordinal);
        bool agent = options.BindTo is SessionBinding.UserAgent or SessionBinding.Both
            && !string.Equals(session.UserAgent, client.UserAgent, StringComparison.Ordinal);
        return ip || agent;
    }
}
