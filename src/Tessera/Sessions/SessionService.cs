using System.Security.Cryptography;

namespace Tessera.Sessions;

/// <summary>
/// Creates, checks, touches, rotates and revokes sessions over an <see cref="ISessionStore"/>.
/// All the time arithmetic lives here, read from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SessionService
{
    private readonly ISessionStore _store;
    private readonly TesseraSessionOptions _options;
    private readonly TimeProvider _time;

    public SessionService(ISessionStore store, TesseraSessionOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? problem = options.Problem();
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid session options: {problem}.", nameof(options));
        }

        _store = store;
        _options = options;
        _time = time;
    }

    public TesseraSessionOptions Options => _options;

    /// <summary>Starts a new session with a fresh handle and secret (never reusing a presented one).</summary>
    public ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, CancellationToken cancellationToken) =>
        CreateAsync(userId, client, SessionKinds.Cookie, _options.IdleTimeout, _options.AbsoluteTimeout, cancellationToken);

    /// <summary>
    /// Starts a session of the given <paramref name="kind"/> with its own lifetimes (token mode's
    /// refresh lifetimes are longer than a cookie session's).
    /// </summary>
    public async ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, string kind, TimeSpan idleTimeout, TimeSpan absoluteTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(client);

        DateTimeOffset now = Clock.Now(_time);
        (string secret, byte[] hash) = SessionSecret.Generate();
        DateTimeOffset absolute = now + absoluteTimeout;
        var session = new SessionRecord
        {
            Handle = RandomIds.New128(),
            UserId = userId,
            SecretHash = hash,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = Min(now + idleTimeout, absolute),
            AbsoluteExpiresAt = absolute,
            ClientIp = client.IpAddress,
            UserAgent = client.UserAgent,
            Kind = kind,
        };
        await _store.CreateAsync(session, cancellationToken).ConfigureAwait(false);
        return new IssuedSession(session, secret);
    }

    /// <summary>
    /// Checks a presented secret: known, matching, not revoked, not expired, within its binding.
    /// Touches the session when the last touch is older than <see cref="TesseraSessionOptions.TouchInterval"/>.
    /// </summary>
    public async ValueTask<SessionValidation> ValidateAsync(string? secret, SessionClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);

        byte[] hash = new byte[SessionSecret.HashLength];
        if (!SessionSecret.TryHash(secret, hash))
        {
            return SessionValidation.Fail(TesseraErrorCodes.Unauthenticated, "No valid session.");
        }

        SessionRecord? session = await _store.FindBySecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
        // Compare again after the look-up: an index or collation must not decide equality.
        // A refresh token is not a session cookie, even though both are 256 random bits.
        if (session is null || !CryptographicOperations.FixedTimeEquals(session.SecretHash.Span, hash)
            || !string.Equals(session.Kind, SessionKinds.Cookie, StringComparison.Ordinal))
        {
            return SessionValidation.Fail(TesseraErrorCodes.Unauthenticated, "No valid session.");
        }

        if (session.IsRevoked)
        {
            return SessionValidation.Fail(session, TesseraErrorCodes.SessionRevoked, "This session has ended.");
        }

        DateTimeOffset now = Clock.Now(_time);
        if (now >= session.AbsoluteExpiresAt || now >= session.IdleExpiresAt)
        {
            return SessionValidation.Fail(session, TesseraErrorCodes.SessionExpired, "This session has expired.");
        }

        bool mismatch = BreaksBinding(session, client);
        if (mismatch)
        {
            if (_options.OnBindingMismatch == SessionBindingAction.Revoke)
            {
                await _store.RevokeAsync(session.Handle, now, RevocationReasons.BindingMismatch, cancellationToken).ConfigureAwait(false);
                return SessionValidation.Fail(session with { RevokedAt = now, RevocationReason = RevocationReasons.BindingMismatch },
                    TesseraErrorCodes.SessionRevoked, "This session has ended: the request came from a different client.");
            }

            if (session.FlaggedAt is null)
            {
                await _store.FlagAsync(session.Handle, now, RevocationReasons.BindingMismatch, cancellationToken).ConfigureAwait(false);
                session = session with { FlaggedAt = now, FlagReason = RevocationReasons.BindingMismatch };
            }
        }

        if (now - session.LastSeenAt >= _options.TouchInterval)
        {
            DateTimeOffset idle = Min(now + _options.IdleTimeout, session.AbsoluteExpiresAt);
            await _store.TouchAsync(session.Handle, now, idle, cancellationToken).ConfigureAwait(false);
            session = session with { LastSeenAt = now, IdleExpiresAt = idle };
        }

        return new SessionValidation(session, null) { BindingMismatch = mismatch };
    }

    /// <summary>Ends one session. False when it did not exist or had already ended.</summary>
    public ValueTask<bool> RevokeAsync(string handle, string reason, CancellationToken cancellationToken) =>
        _store.RevokeAsync(handle, Clock.Now(_time), reason, cancellationToken);

    /// <summary>Ends one of the user's sessions; false when the user has no such active session.</summary>
    public async ValueTask<bool> RevokeOwnAsync(string userId, string handle, string reason, CancellationToken cancellationToken)
    {
        SessionRecord? session = await _store.FindByHandleAsync(handle, cancellationToken).ConfigureAwait(false);
        if (session is null || !string.Equals(session.UserId, userId, StringComparison.Ordinal) || !session.IsActiveAt(Clock.Now(_time)))
        {
            return false;
        }

        return await RevokeAsync(handle, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends all of the user's sessions but <paramref name="exceptHandle"/> (all when null).</summary>
    public ValueTask<int> RevokeAllAsync(string userId, string? exceptHandle, string reason, CancellationToken cancellationToken) =>
        Listing.RevokeAllForUserAsync(userId, exceptHandle, Clock.Now(_time), reason, cancellationToken);

    /// <summary>The user's active sessions, newest first.</summary>
    public ValueTask<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken) =>
        Listing.ListActiveForUserAsync(userId, Clock.Now(_time), cancellationToken);

    /// <summary>
    /// Gives an active session a new secret; the old one stops working at once. Fails with
    /// <c>session_revoked</c> when the session ended or another rotation won the race.
    /// </summary>
    public async ValueTask<Outcome<IssuedSession>> RotateSecretAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        (string secret, byte[] hash) = SessionSecret.Generate();
        DateTimeOffset now = Clock.Now(_time);
        DateTimeOffset idle = Min(now + _options.IdleTimeout, session.AbsoluteExpiresAt);
        bool swapped = await Rotation.TryRotateSecretAsync(session.Handle, session.SecretHash, hash, now, idle, cancellationToken).ConfigureAwait(false);
        return swapped
            ? Outcome.Success(new IssuedSession(session with { SecretHash = hash, PreviousSecretHash = session.SecretHash, SecretRotatedAt = now, LastSeenAt = now > session.LastSeenAt ? now : session.LastSeenAt, IdleExpiresAt = idle }, secret))
            : Outcome.Failure<IssuedSession>(TesseraErrorCodes.SessionRevoked, "The session was revoked or its secret already replaced.");
    }

    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) =>
        Attributes.GetAttributesAsync(handle, cancellationToken);

    /// <summary>Sets one attribute; fails with <c>validation_failed</c>, <c>attribute_limit_reached</c> or <c>session_not_found</c>.</summary>
    public async ValueTask<Outcome<bool>> SetAttributeAsync(string handle, string key, string? value, CancellationToken cancellationToken)
    {
        if (SessionAttributeRules.KeyProblem(key) is { } keyProblem)
        {
            return Outcome.Failure<bool>(TesseraErrorCodes.ValidationFailed, keyProblem);
        }

        if (value is null || value.Length > _options.MaxAttributeValueLength)
        {
            return Outcome.Failure<bool>(TesseraErrorCodes.ValidationFailed, $"An attribute value is a string of at most {_options.MaxAttributeValueLength} characters.");
        }

        return await Attributes.SetAttributeAsync(handle, key, value, _options.MaxAttributes, cancellationToken).ConfigureAwait(false) switch
        {
            AttributeWrite.Written => Outcome.Success(true),
            AttributeWrite.LimitReached => Outcome.Failure<bool>(TesseraErrorCodes.AttributeLimitReached, $"A session holds at most {_options.MaxAttributes} attributes."),
            _ => Outcome.Failure<bool>(TesseraErrorCodes.SessionNotFound, "The session does not exist."),
        };
    }

    public ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) =>
        Attributes.RemoveAttributeAsync(handle, key, cancellationToken);

    private bool BreaksBinding(SessionRecord session, SessionClient client)
    {
        bool ip = _options.BindTo is SessionBinding.Ip or SessionBinding.Both
            && !string.Equals(session.ClientIp, client.IpAddress, StringComparison.Ordinal);
        bool agent = _options.BindTo is SessionBinding.UserAgent or SessionBinding.Both
            && !string.Equals(session.UserAgent, client.UserAgent, StringComparison.Ordinal);
        return ip || agent;
    }

    private ISessionListing Listing => _store as ISessionListing ?? throw Missing(nameof(ISessionListing));

    private ISessionSecretRotation Rotation => _store as ISessionSecretRotation ?? throw Missing(nameof(ISessionSecretRotation));

    private ISessionAttributeStore Attributes => _store as ISessionAttributeStore ?? throw Missing(nameof(ISessionAttributeStore));

    private NotSupportedException Missing(string capability) =>
        new($"The session store {_store.GetType().Name} does not implement {capability}.");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
