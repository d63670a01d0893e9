using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Telemetry;

namespace Tessera.Sessions;

/// <summary>
/// The one session core: creates, checks, touches, rotates and revokes sessions over an
/// <see cref="ISessionStore"/>, for every credential (the session cookie, a refresh token, the
/// <c>sid</c> of an access token). Each credential is resolved to its record, then passes the same
/// checks (revoked, idle and absolute expiry, binding) and the same throttled touch, so expiry,
/// binding and sign-out behave alike in every mode. Time is read from the injected
/// <see cref="TimeProvider"/>; expiry times are computed by <see cref="SessionLifetime"/>.
/// </summary>
public sealed partial class SessionService
{
    private readonly ISessionStore _store;
    private readonly TesseraSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly SessionLifetime _cookieLifetime;
    private readonly SessionChecks _checks;
    private readonly ILogger _logger;
    private readonly SecurityEvents _events;
    private readonly RememberedSecretHashes? _rememberedSecrets;

    /// <summary>The session core over <paramref name="store"/> with the lifetimes and binding of <paramref name="options"/>, on the clock <paramref name="time"/>.</summary>
    /// <param name="store">Where the sessions live.</param>
    /// <param name="options">Lifetimes, binding and limits.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Records suspicious sessions and revocations.</param>
    /// <param name="events">Where every session that ends is counted (<c>tessera.sessions.revoked</c>) and audited (<c>session.ended</c>).</param>
    public SessionService(ISessionStore store, TesseraSessionOptions options, TimeProvider time, ILogger<SessionService>? logger = null, SecurityEvents? events = null)
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
        _cookieLifetime = new SessionLifetime(options.IdleTimeout, options.AbsoluteTimeout);
        _checks = new SessionChecks(store, options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _events = events ?? SecurityEvents.MetricsOnly;
        _rememberedSecrets = options.RememberedCookieSecrets > 0
            ? new RememberedSecretHashes(Math.Max(2, options.RememberedCookieSecrets), options.IdleTimeout, Clock.Now(time))
            : null;
    }

    /// <summary>The options the sessions were configured with.</summary>
    public TesseraSessionOptions Options => _options;

    /// <summary>How many cookie secrets this instance remembers with their hash now (for tests).</summary>
    internal int RememberedSecretCount => _rememberedSecrets?.Count ?? 0;

    /// <summary>Starts a new session with a fresh handle and secret (never reusing a presented one).</summary>
    public ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, CancellationToken cancellationToken) =>
        CreateAsync(userId, client, SessionKinds.Cookie, _cookieLifetime, cancellationToken);

    /// <summary>
    /// Starts a session of the given <paramref name="kind"/> with its own lifetimes (token mode's
    /// refresh lifetimes are longer than a cookie session's).
    /// </summary>
    public ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, string kind, TimeSpan idleTimeout, TimeSpan absoluteTimeout, CancellationToken cancellationToken) =>
        CreateAsync(userId, client, kind, new SessionLifetime(idleTimeout, absoluteTimeout), cancellationToken);

    /// <summary>Starts a session of the given <paramref name="kind"/> that lives as <paramref name="lifetime"/> says.</summary>
    public ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, string kind, SessionLifetime lifetime, CancellationToken cancellationToken) =>
        CreateAsync(userId, client, kind, lifetime, grant: null, handle: null, cancellationToken);

    /// <summary>
    /// Starts a session for an OAuth <paramref name="grant"/> (client, scope, authentication time),
    /// under <paramref name="handle"/> when the caller had to name it first (an authorization code
    /// records the session its redemption creates before the session exists); a fresh handle when null.
    /// </summary>
    public ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, string kind, SessionLifetime lifetime, SessionGrant? grant, string? handle, CancellationToken cancellationToken) =>
        CreateAsync(userId, client, kind, lifetime, grant, handle, newSecret: null, start: null, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="start"/>, recording how the user authenticated and the
    /// DPoP key the session is bound to (<see cref="SessionStart"/>; null: a password sign-in, unbound).
    /// </summary>
    public ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, string kind, SessionLifetime lifetime, SessionGrant? grant, string? handle, SessionStart? start, CancellationToken cancellationToken) =>
        CreateAsync(userId, client, kind, lifetime, grant, handle, newSecret: null, start, cancellationToken);

    /// <summary>
    /// As the public overload, with the first secret made by <paramref name="newSecret"/> from the
    /// session's handle (a refresh token names its session, <see cref="Tokens.RefreshTokens"/>); a
    /// random <see cref="SessionSecret"/> when null. Then the user's oldest live sessions beyond
    /// <see cref="TesseraSessionOptions.MaxSessionsPerUser"/> end.
    /// </summary>
    internal async ValueTask<IssuedSession> CreateAsync(string userId, SessionClient client, string kind, SessionLifetime lifetime, SessionGrant? grant, string? handle, Func<string, (string Secret, byte[] Hash)>? newSecret, SessionStart? start, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lifetime);

        DateTimeOffset now = Clock.Now(_time);
        handle ??= RandomIds.New128();
        (string secret, byte[] hash) = newSecret is null ? SessionSecret.Generate() : newSecret(handle);
        DateTimeOffset absolute = lifetime.AbsoluteExpiresAt(now);
        var session = new SessionRecord
        {
            Handle = handle,
            UserId = userId,
            SecretHash = hash,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = lifetime.IdleExpiresAt(now, absolute),
            AbsoluteExpiresAt = absolute,
            ClientIp = client.IpAddress,
            UserAgent = client.UserAgent,
            Kind = kind,
            ClientId = grant?.ClientId,
            Scope = grant?.Scope,
            AuthenticatedAt = grant?.AuthenticatedAt,
            AuthenticationMethods = start?.AuthenticationMethods,
            KeyThumbprint = start?.KeyThumbprint,
        };
        await _store.CreateAsync(session, cancellationToken).ConfigureAwait(false);
        await EndSessionsBeyondTheCapAsync(userId, session.Handle, cancellationToken).ConfigureAwait(false);
        return new IssuedSession(session, secret);
    }

    /// <summary>
    /// Ends the user's oldest live sessions beyond <see cref="TesseraSessionOptions.MaxSessionsPerUser"/>
    /// (issue #14 finding 5: one account cannot make the store hold an unbounded number of sessions).
    /// Not one atomic step with the insert: concurrent sign-ins each end from the oldest end of the
    /// same list, so together they converge on the cap and never end the session just created.
    /// </summary>
    private async ValueTask EndSessionsBeyondTheCapAsync(string userId, string created, CancellationToken cancellationToken)
    {
        if (_store is not ISessionListing)
        {
            return; // a store that cannot list a user's sessions cannot count them (every Tessera store can)
        }

        IReadOnlyList<SessionRecord> live = await ListAsync(userId, cancellationToken).ConfigureAwait(false);
        if (live.Count <= _options.MaxSessionsPerUser)
        {
            return;
        }

        // Newest first, the one just created left out (sessions created in the same instant may sort
        // either way): everything past the others' share of the cap ends, oldest first.
        foreach (SessionRecord oldest in live.Where(s => !string.Equals(s.Handle, created, StringComparison.Ordinal)).Skip(_options.MaxSessionsPerUser - 1).Reverse())
        {
            if (await RevokeAsync(oldest, RevocationReasons.SessionLimit, cancellationToken).ConfigureAwait(false))
            {
                LogSessionLimit(_logger, userId, _options.MaxSessionsPerUser, oldest.Handle);
            }
        }
    }

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "User {UserId} reached {Limit} live sessions; the oldest, {SessionHandle}, was ended (session_limit)")]
    private static partial void LogSessionLimit(ILogger logger, string userId, int limit, string sessionHandle);

    /// <summary>
    /// Checks a presented session cookie secret: known, of a cookie session, then <see cref="CheckAsync"/>
    /// and the throttled touch. Fails with <c>unauthenticated</c>, <c>session_revoked</c> or <c>session_expired</c>.
    /// </summary>
    /// <remarks>
    /// Runs on every cookie request. When the store answers synchronously (the memory store, a near
    /// cache's hit) and nothing is written, no async state machine is started: each costs its start
    /// and its execution-context bookkeeping, and this path had five of them (#13's traces). Otherwise
    /// the same steps continue asynchronously.
    /// </remarks>
    public ValueTask<SessionValidation> ValidateAsync(string? secret, SessionClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);

        // A secret that named a live session lately is looked up by its remembered hash (see RememberedSecretHashes).
        byte[]? hash = null;
        bool remembered = secret?.Length == SessionSecret.EncodedLength && _rememberedSecrets is not null && _rememberedSecrets.TryGet(secret, out hash);
        if (hash is null)
        {
            hash = new byte[SessionSecret.HashLength];
            if (!SessionSecret.TryHash(secret, hash))
            {
                return new(NoSession);
            }
        }

        var presented = new PresentedCookie(secret!, hash, remembered);

        // A refresh token is not a session cookie, even though both are 256 random bits.
        ValueTask<SessionRecord?> finding = FindBySecretHashAsync(hash, SessionKinds.Cookie, cancellationToken);
        return finding.IsCompletedSuccessfully
            ? CheckCookieSession(finding.Result, presented, client, cancellationToken)
            : CheckCookieSessionWhenFoundAsync(finding, presented, client, cancellationToken);
    }

    private async ValueTask<SessionValidation> CheckCookieSessionWhenFoundAsync(
        ValueTask<SessionRecord?> finding, PresentedCookie presented, SessionClient client, CancellationToken cancellationToken) =>
        await CheckCookieSession(await finding.ConfigureAwait(false), presented, client, cancellationToken).ConfigureAwait(false);

    private ValueTask<SessionValidation> CheckCookieSession(SessionRecord? session, PresentedCookie presented, SessionClient client, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Clock.Now(_time);
        if (session is null)
        {
            return new(Remembering(UnknownSession, presented, now));
        }

        ValueTask<SessionValidation> checking = CheckAndTouchAsync(session, client, _cookieLifetime, now, cancellationToken);
        return checking.IsCompletedSuccessfully
            ? new(Remembering(checking.Result, presented, now))
            : RememberingAsync(checking, presented, now);
    }

    private async ValueTask<SessionValidation> RememberingAsync(ValueTask<SessionValidation> checking, PresentedCookie presented, DateTimeOffset now) =>
        Remembering(await checking.ConfigureAwait(false), presented, now);

    /// <summary>
    /// A cookie's secret is remembered from its first accepted request and forgotten once its session
    /// is gone or ended; every look-up ages the table by the time of its checks.
    /// </summary>
    private SessionValidation Remembering(SessionValidation validation, PresentedCookie presented, DateTimeOffset now)
    {
        if (_rememberedSecrets is not null)
        {
            if (validation.Succeeded && !presented.Remembered)
            {
                _rememberedSecrets.Remember(presented.Secret, presented.Hash);
            }
            else if (!validation.Succeeded && presented.Remembered)
            {
                _rememberedSecrets.Forget(presented.Secret);
            }

            _rememberedSecrets.AgeBy(now);
        }

        return validation;
    }

    /// <summary>A well-formed cookie secret, its hash, and whether that hash came from <see cref="RememberedSecretHashes"/>.</summary>
    private readonly record struct PresentedCookie(string Secret, byte[] Hash, bool Remembered);

    /// <summary>
    /// Checks the session an access token names by its <c>sid</c>: a session of <paramref name="kind"/>
    /// that belongs to <paramref name="userId"/> (the token's <c>sub</c>), then <see cref="CheckAsync"/>
    /// and the touch, throttled as for a cookie and sliding by <paramref name="lifetime"/>. Fails with
    /// <c>unauthenticated</c> (no such session), <c>session_revoked</c> or <c>session_expired</c>.
    /// </summary>
    public async ValueTask<SessionValidation> ValidateHandleAsync(string handle, string? userId, string kind, SessionLifetime lifetime, SessionClient client, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lifetime);

        SessionRecord? session = await FindByHandleAsync(handle, userId, kind, cancellationToken).ConfigureAwait(false);
        return session is null ? UnknownSession : await CheckAndTouchAsync(session, client, lifetime, Clock.Now(_time), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The session named <paramref name="handle"/> when it is of <paramref name="kind"/> and belongs to
    /// <paramref name="userId"/>, ended or not; no checks, no touch (for introspection, RFC 7662).
    /// </summary>
    public async ValueTask<SessionRecord?> FindByHandleAsync(string handle, string? userId, string kind, CancellationToken cancellationToken)
    {
        SessionRecord? session = await _store.FindByHandleAsync(handle, cancellationToken).ConfigureAwait(false);
        return session is not null && string.Equals(session.Kind, kind, StringComparison.Ordinal) && string.Equals(session.UserId, userId, StringComparison.Ordinal)
            ? session
            : null;
    }

    /// <summary>
    /// The session of <paramref name="kind"/> whose current secret hashes to <paramref name="hash"/>,
    /// ended or not; no checks, no touch. The hash is compared again after the look-up: an index or
    /// collation must not decide equality.
    /// </summary>
    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> hash, string kind, CancellationToken cancellationToken)
    {
        if (hash.Length != SessionSecret.HashLength)
        {
            return new((SessionRecord?)null);
        }

        // Every cookie request and refresh comes here: no state machine when the store answers synchronously.
        ValueTask<SessionRecord?> finding = _store.FindBySecretHashAsync(hash, cancellationToken);
        return finding.IsCompletedSuccessfully ? new(HoldingSecret(finding.Result, hash.Span, kind)) : HoldingSecretAsync(finding, hash, kind);
    }

    private static async ValueTask<SessionRecord?> HoldingSecretAsync(ValueTask<SessionRecord?> finding, ReadOnlyMemory<byte> hash, string kind) =>
        HoldingSecret(await finding.ConfigureAwait(false), hash.Span, kind);

    private static SessionRecord? HoldingSecret(SessionRecord? session, ReadOnlySpan<byte> hash, string kind) =>
        session is not null && CryptographicOperations.FixedTimeEquals(session.SecretHash.Span, hash)
            && string.Equals(session.Kind, kind, StringComparison.Ordinal)
            ? session
            : null;

    /// <summary>
    /// The session of <paramref name="kind"/> whose <em>previous</em> secret (the one its last rotation
    /// replaced) hashes to <paramref name="hash"/>, ended or not; compared again in constant time.
    /// </summary>
    public async ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> hash, string kind, CancellationToken cancellationToken)
    {
        if (hash.Length != SessionSecret.HashLength)
        {
            return null;
        }

        SessionRecord? session = await Rotation.FindByPreviousSecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
        return session is not null && session.PreviousSecretHash is { } previous && CryptographicOperations.FixedTimeEquals(previous.Span, hash.Span)
            && string.Equals(session.Kind, kind, StringComparison.Ordinal)
            ? session
            : null;
    }

    /// <summary>
    /// The session of <paramref name="kind"/> named <paramref name="handle"/>, ended or not, whoever it
    /// belongs to: a refresh token names its session, and was checked authentic before this look-up.
    /// </summary>
    internal async ValueTask<SessionRecord?> FindByHandleAsync(string handle, string kind, CancellationToken cancellationToken)
    {
        SessionRecord? session = await _store.FindByHandleAsync(handle, cancellationToken).ConfigureAwait(false);
        return session is not null && string.Equals(session.Kind, kind, StringComparison.Ordinal) ? session : null;
    }

    /// <summary>
    /// Checks a secret that is about to be rotated (a refresh token): the session of <paramref name="kind"/>
    /// whose <em>current</em> secret hashes to <paramref name="hash"/>, then <see cref="CheckAsync"/>. No
    /// touch: the rotation that follows (<c>TryRotateSecretAsync</c>) is the touch. Fails with
    /// <c>unauthenticated</c> when no session holds this secret now (it may be a retired one).
    /// </summary>
    public async ValueTask<SessionValidation> ValidateSecretHashAsync(ReadOnlyMemory<byte> hash, string kind, SessionClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        SessionRecord? session = await FindBySecretHashAsync(hash, kind, cancellationToken).ConfigureAwait(false);
        return session is null ? NoSession : await CheckAsync(session, client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The checks every credential passes, whatever its kind: not revoked, neither of the session's own
    /// expiry times reached, and within the binding (<see cref="TesseraSessionOptions.BindTo"/>). A
    /// broken binding revokes the session or flags it, as <see cref="TesseraSessionOptions.OnBindingMismatch"/> says.
    /// </summary>
    public ValueTask<SessionValidation> CheckAsync(SessionRecord session, SessionClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(client);
        return _checks.CheckAsync(session, client, Clock.Now(_time), cancellationToken);
    }

    /// <summary>
    /// Replaces the session's secret and records the activity in one atomic store step (compare-and-swap
    /// on <paramref name="expectedHash"/>, then last seen now and the idle expiry slid by
    /// <paramref name="lifetime"/>). The session as rotated, or null when the session ended or another
    /// rotation won the race.
    /// </summary>
    public ValueTask<SessionRecord?> TryRotateSecretAsync(SessionRecord session, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, SessionLifetime lifetime, CancellationToken cancellationToken) =>
        TryRotateSecretAsync(session, expectedHash, nextHash, lifetime, rotatedBy: null, cancellationToken);

    /// <summary>
    /// As the other overload, recording <paramref name="rotatedBy"/> (the requesting client, see
    /// <see cref="SessionClientFingerprint"/>) as the one the grace answer may go to.
    /// </summary>
    public ValueTask<SessionRecord?> TryRotateSecretAsync(SessionRecord session, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, SessionLifetime lifetime, SessionClient? rotatedBy, CancellationToken cancellationToken) =>
        TryRotateSecretAsync(session, expectedHash, nextHash, lifetime, rotatedBy, PreviousSecretLookup.ByHash, cancellationToken);

    /// <summary>
    /// As the other overloads, saying how the retired secret will be looked for
    /// (<see cref="PreviousSecretLookup"/>): <see cref="PreviousSecretLookup.ByHandle"/> lets the store
    /// keep no index by its hash (issue #13).
    /// </summary>
    public async ValueTask<SessionRecord?> TryRotateSecretAsync(SessionRecord session, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, SessionLifetime lifetime, SessionClient? rotatedBy, PreviousSecretLookup previousLookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(lifetime);

        DateTimeOffset now = Clock.Now(_time);
        DateTimeOffset idle = lifetime.IdleExpiresAt(now, session.AbsoluteExpiresAt);
        byte[]? fingerprint = rotatedBy is null ? null : SessionClientFingerprint.Of(rotatedBy);
        if (!await Rotation.TryRotateSecretAsync(session.Handle, expectedHash, nextHash, now, idle, fingerprint, previousLookup, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return session with
        {
            SecretHash = nextHash.ToArray(),
            PreviousSecretHash = expectedHash.ToArray(),
            SecretRotatedAt = now,
            Generation = session.Generation + 1,
            RotatedBy = fingerprint,
            LastSeenAt = now > session.LastSeenAt ? now : session.LastSeenAt,
            IdleExpiresAt = idle,
        };
    }

    /// <summary>Not revoked and neither expiry reached now.</summary>
    public bool IsActive(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.IsActiveAt(Clock.Now(_time));
    }

    /// <summary>
    /// Ends one session. False when it did not exist or had already ended. The audit names the
    /// session's user, so with an audit log the record is read first; a caller holding the record
    /// saves that read with <see cref="RevokeAsync(SessionRecord, string, CancellationToken)"/>.
    /// </summary>
    public async ValueTask<bool> RevokeAsync(string handle, string reason, CancellationToken cancellationToken)
    {
        SessionRecord? session = _events.IsAuditing ? await _store.FindByHandleAsync(handle, cancellationToken).ConfigureAwait(false) : null;
        return await RevokeAsync(handle, session?.UserId, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends <paramref name="session"/>. False when it had already ended.</summary>
    public ValueTask<bool> RevokeAsync(SessionRecord session, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return RevokeAsync(session.Handle, session.UserId, reason, cancellationToken);
    }

    private async ValueTask<bool> RevokeAsync(string handle, string? userId, string reason, CancellationToken cancellationToken)
    {
        bool revoked = await _store.RevokeAsync(handle, Clock.Now(_time), reason, cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            await _events.SessionEndedAsync(userId, handle, reason).ConfigureAwait(false);
        }

        return revoked;
    }

    /// <summary>Ends one of the user's sessions; false when the user has no such active session.</summary>
    public async ValueTask<bool> RevokeOwnAsync(string userId, string handle, string reason, CancellationToken cancellationToken)
    {
        SessionRecord? session = await _store.FindByHandleAsync(handle, cancellationToken).ConfigureAwait(false);
        if (session is null || !string.Equals(session.UserId, userId, StringComparison.Ordinal) || !session.IsActiveAt(Clock.Now(_time)))
        {
            return false;
        }

        return await RevokeAsync(session, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends all of the user's sessions but <paramref name="exceptHandle"/> (all when null).</summary>
    public async ValueTask<int> RevokeAllAsync(string userId, string? exceptHandle, string reason, CancellationToken cancellationToken)
    {
        int count = await Listing.RevokeAllForUserAsync(userId, exceptHandle, Clock.Now(_time), reason, cancellationToken).ConfigureAwait(false);
        await _events.SessionEndedAsync(userId, null, reason, count).ConfigureAwait(false);
        return count;
    }

    /// <summary>The user's active sessions, newest first.</summary>
    public ValueTask<IReadOnlyList<SessionRecord>> ListAsync(string userId, CancellationToken cancellationToken) =>
        Listing.ListActiveForUserAsync(userId, Clock.Now(_time), cancellationToken);

    /// <summary>
    /// Gives an active cookie session a new secret (and counts as activity); the old one stops working at once. Fails with
    /// <c>session_revoked</c> when the session ended or another rotation won the race.
    /// </summary>
    public async ValueTask<Outcome<IssuedSession>> RotateSecretAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        (string secret, byte[] hash) = SessionSecret.Generate();
        // A cookie's retired secret is never looked for (only a refresh token's is: reuse, RFC 7009).
        SessionRecord? rotated = await TryRotateSecretAsync(session, session.SecretHash, hash, _cookieLifetime, rotatedBy: null, PreviousSecretLookup.ByHandle, cancellationToken).ConfigureAwait(false);
        return rotated is not null
            ? Outcome.Success(new IssuedSession(rotated, secret))
            : Outcome.Failure<IssuedSession>(TesseraErrorCodes.SessionRevoked, "The session was revoked or its secret already replaced.");
    }

    // now: read by the caller once the record is at hand (the cookie's caller ages its remembered secrets by it too).
    // Synchronous when the checks write nothing and no touch is due, as on nearly every request.
    private ValueTask<SessionValidation> CheckAndTouchAsync(SessionRecord session, SessionClient client, SessionLifetime lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ValueTask<SessionValidation> checking = _checks.CheckAsync(session, client, now, cancellationToken);
        return checking.IsCompletedSuccessfully
            ? TouchIfDueAsync(checking.Result, lifetime, now, cancellationToken)
            : CheckThenTouchAsync(checking, lifetime, now, cancellationToken);
    }

    private async ValueTask<SessionValidation> CheckThenTouchAsync(ValueTask<SessionValidation> checking, SessionLifetime lifetime, DateTimeOffset now, CancellationToken cancellationToken) =>
        await TouchIfDueAsync(await checking.ConfigureAwait(false), lifetime, now, cancellationToken).ConfigureAwait(false);

    // Throttled: reading the session is one store read per request, a write on each would double the load.
    private ValueTask<SessionValidation> TouchIfDueAsync(SessionValidation checkedSession, SessionLifetime lifetime, DateTimeOffset now, CancellationToken cancellationToken) =>
        checkedSession.Succeeded && now - checkedSession.Session!.LastSeenAt >= _options.TouchInterval
            ? TouchAsync(checkedSession, lifetime, now, cancellationToken)
            : new(checkedSession);

    private async ValueTask<SessionValidation> TouchAsync(SessionValidation checkedSession, SessionLifetime lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SessionRecord session = checkedSession.Session!;
        DateTimeOffset idle = lifetime.IdleExpiresAt(now, session.AbsoluteExpiresAt);
        await _store.TouchAsync(session.Handle, now, idle, cancellationToken).ConfigureAwait(false);
        return checkedSession with { Session = session with { LastSeenAt = now, IdleExpiresAt = idle } };
    }

    private ISessionListing Listing => _store as ISessionListing ?? throw Missing(nameof(ISessionListing));

    private ISessionSecretRotation Rotation => _store as ISessionSecretRotation ?? throw Missing(nameof(ISessionSecretRotation));

    private NotSupportedException Missing(string capability) =>
        new($"The session store {_store.GetType().Name} does not implement {capability}.");

    private static SessionValidation NoSession => SessionValidation.Fail(TesseraErrorCodes.Unauthenticated, "No valid session.");

    /// <summary>As <see cref="NoSession"/> to the caller; flagged for the log (<see cref="SessionValidation.UnknownSession"/>).</summary>
    private static SessionValidation UnknownSession => NoSession with { UnknownSession = true };
}
