using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Keys;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// Token mode over the session store: a token sign-in is a session (kind <see cref="SessionKinds.Token"/>)
/// whose secret is the current refresh token. Issues access tokens signed with the key ring's
/// current key, rotates refresh tokens with one compare-and-swap, detects reuse, and checks
/// access tokens (signature, claims, and the session named by <c>sid</c>).
/// </summary>
public sealed class TokenService
{
    private const string AccessTokenType = "at+jwt";

    private readonly ISessionStore _store;
    private readonly SessionService _sessions;
    private readonly SigningKeyRing _keys;
    private readonly TesseraTokenOptions _options;
    private readonly TimeProvider _time;

    public TokenService(ISessionStore store, SessionService sessions, SigningKeyRing keys, TesseraTokenOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid token options: {problem}.", nameof(options));
        }

        _store = store;
        _sessions = sessions;
        _keys = keys;
        _options = options;
        _time = time;
    }

    public TesseraTokenOptions Options => _options;

    private ISessionSecretRotation Rotation => _store as ISessionSecretRotation
        ?? throw new NotSupportedException($"The session store {_store.GetType().Name} does not implement {nameof(ISessionSecretRotation)}.");

    /// <summary>Starts a token session for a signed-in user and returns its first pair.</summary>
    public async ValueTask<IssuedTokens> IssueAsync(string userId, SessionClient client, string issuer, CancellationToken cancellationToken)
    {
        IssuedSession issued = await _sessions.CreateAsync(userId, client, SessionKinds.Token, _options.RefreshIdleLifetime, _options.RefreshAbsoluteLifetime, cancellationToken).ConfigureAwait(false);
        return await PairAsync(issued.Session, issued.Secret, issuer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair (RFC 6749 §6). Fails with <c>invalid_grant</c>
    /// (unknown token), <c>session_revoked</c>, <c>session_expired</c> or <c>refresh_token_reused</c>
    /// (the token was rotated away: the whole session is revoked).
    /// </summary>
    public async ValueTask<Outcome<IssuedTokens>> RefreshAsync(string? refreshToken, string issuer, CancellationToken cancellationToken)
    {
        byte[] hash = new byte[SessionSecret.HashLength];
        if (!SessionSecret.TryHash(refreshToken, hash))
        {
            return Unknown();
        }

        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        SessionRecord? session = await _store.FindBySecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
        if (IsTokenSession(session) && CryptographicOperations.FixedTimeEquals(session!.SecretHash.Span, hash))
        {
            if (Ended(session) is { } ended)
            {
                return ended;
            }

            DateTimeOffset now = Clock.Now(_time);
            (string next, byte[] nextHash) = RefreshTokens.Next(keys.RefreshSecret, session.Handle, refreshToken!);
            DateTimeOffset idle = Min(now + _options.RefreshIdleLifetime, session.AbsoluteExpiresAt);
            if (await Rotation.TryRotateSecretAsync(session.Handle, hash, nextHash, now, idle, cancellationToken).ConfigureAwait(false))
            {
                SessionRecord rotated = session with { SecretHash = nextHash, PreviousSecretHash = hash, SecretRotatedAt = now, LastSeenAt = now, IdleExpiresAt = idle };
                return Outcome.Success(await PairAsync(rotated, next, issuer, cancellationToken).ConfigureAwait(false));
            }

            // Another refresh with this token won the race: answer as for the previous token.
            session = await _store.FindByHandleAsync(session.Handle, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            session = await Rotation.FindByRetiredSecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
            if (!IsTokenSession(session))
            {
                return Unknown();
            }
        }

        return await AnswerRetiredAsync(session!, refreshToken!, hash, keys, issuer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the session of a refresh token (RFC 7009 §2.1, also for the previous token). False when
    /// the token names no live session; RFC 7009 answers 200 either way.
    /// </summary>
    public async ValueTask<bool> RevokeAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        byte[] hash = new byte[SessionSecret.HashLength];
        if (!SessionSecret.TryHash(refreshToken, hash))
        {
            return false;
        }

        SessionRecord? session = await _store.FindBySecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
        if (!IsTokenSession(session) || !CryptographicOperations.FixedTimeEquals(session!.SecretHash.Span, hash))
        {
            session = await Rotation.FindByPreviousSecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
            if (!IsTokenSession(session) || session!.PreviousSecretHash is not { } previous || !CryptographicOperations.FixedTimeEquals(previous.Span, hash))
            {
                return false; // an older token revokes nothing: RFC 7009 §2.2 answers 200 anyway
            }
        }

        return await _sessions.RevokeAsync(session.Handle, RevocationReasons.SignedOut, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks an access token: signature by a key of the ring, <c>typ</c> at+jwt, issuer, audience,
    /// expiry, then the session its <c>sid</c> names (a revoked or expired session refuses its
    /// access tokens at once). Fails with <c>invalid_token</c>, <c>session_revoked</c> or <c>session_expired</c>.
    /// </summary>
    public async ValueTask<Outcome<ValidatedAccessToken>> ValidateAccessTokenAsync(string? accessToken, string issuer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token is missing.");
        }

        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var validator = new JwtValidator(new JwtValidationPolicy
        {
            AllowedAlgorithms = [_options.Algorithm],
            ValidIssuers = [issuer],
            ValidAudiences = [_options.Audience],
            RequiredType = AccessTokenType,
            RequiredClaims = ["exp", "sub", "sid", "iat", "jti"],
            ClockSkew = TimeSpan.Zero,
            TimeProvider = _time,
        });
        JwtValidation validation = validator.Validate(accessToken, keys.Published);
        if (validation.Error?.Code == JoseErrorCodes.KeyNotFound)
        {
            // Signed by a key another instance added since this one last read the ring?
            KeyRingSnapshot reread = await _keys.RereadAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(reread, keys))
            {
                validation = validator.Validate(accessToken, reread.Published);
            }
        }

        if (!validation.IsValid)
        {
            JoseError error = validation.Error!;
            string message = error.Code == JoseErrorCodes.Expired ? "The access token has expired." : "The access token is not valid.";
            return Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, message);
        }

        JwtClaims claims = validation.Claims!;
        if (!claims.TryGetString("sid", out string? sid) || string.IsNullOrEmpty(sid))
        {
            return Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token is not valid.");
        }

        SessionRecord? session = await _store.FindByHandleAsync(sid, cancellationToken).ConfigureAwait(false);
        if (!IsTokenSession(session) || !string.Equals(session!.UserId, claims.Subject, StringComparison.Ordinal))
        {
            return Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token is not valid.");
        }

        if (session.IsRevoked)
        {
            return Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.SessionRevoked, "This session has ended.");
        }

        return session.IsActiveAt(Clock.Now(_time))
            ? Outcome.Success(new ValidatedAccessToken(session, claims))
            : Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.SessionExpired, "This session has expired.");
    }

    /// <summary>The public keys to publish (JWKS).</summary>
    public async ValueTask<Jose.Keys.JwkSet> PublishedKeysAsync(CancellationToken cancellationToken) =>
        (await _keys.GetAsync(cancellationToken).ConfigureAwait(false)).Published;

    /// <summary>
    /// RFC 7662 for a refresh token: the session when the token is its current refresh token and
    /// the session is active; null otherwise (a previous token is not active, even in the grace window).
    /// </summary>
    public async ValueTask<SessionRecord?> InspectRefreshTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        byte[] hash = new byte[SessionSecret.HashLength];
        if (!SessionSecret.TryHash(refreshToken, hash))
        {
            return null;
        }

        SessionRecord? session = await _store.FindBySecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
        return IsTokenSession(session) && CryptographicOperations.FixedTimeEquals(session!.SecretHash.Span, hash) && session.IsActiveAt(Clock.Now(_time))
            ? session
            : null;
    }

    /// <summary>A token that a rotation replaced came back: the grace answer for the previous one, else reuse.</summary>
    private async ValueTask<Outcome<IssuedTokens>> AnswerRetiredAsync(SessionRecord session, string presented, byte[] hash, KeyRingSnapshot keys, string issuer, CancellationToken cancellationToken)
    {
        if (Ended(session) is { } ended)
        {
            return ended;
        }

        DateTimeOffset now = Clock.Now(_time);
        bool isPrevious = session.PreviousSecretHash is { } previous && CryptographicOperations.FixedTimeEquals(previous.Span, hash);
        bool withinGrace = session.SecretRotatedAt is { } rotatedAt && now - rotatedAt <= _options.ReuseGraceWindow;
        string? next = isPrevious && withinGrace ? RotatedTo(session, presented, keys) : null;
        if (isPrevious && withinGrace && next is null)
        {
            // The winning rotation may have run on an instance that already read a newer refresh
            // secret than this one holds: read the ring again before calling it reuse.
            next = RotatedTo(session, presented, await _keys.RereadAsync(cancellationToken).ConfigureAwait(false));
        }

        if (next is not null)
        {
            // The client lost the answer to its refresh (or raced itself): give it the same new
            // refresh token again, so there is still exactly one live token. No store write.
            return Outcome.Success(await PairAsync(session, next, issuer, cancellationToken).ConfigureAwait(false));
        }

        // RFC 9700 §4.14.2: a rotated-away refresh token came back (any generation); the session may be stolen. End it.
        await _store.RevokeAsync(session.Handle, now, RevocationReasons.RefreshTokenReused, cancellationToken).ConfigureAwait(false);
        return Outcome.Failure<IssuedTokens>(TesseraErrorCodes.RefreshTokenReused, "This refresh token was already used; the session has been revoked.");
    }

    /// <summary>
    /// The session's current refresh token when the rotation of <paramref name="presented"/> made it
    /// (derived under the current refresh secret, or the one before if the rotation predates the
    /// newest secret); null when the session's token came from elsewhere.
    /// </summary>
    private static string? RotatedTo(SessionRecord session, string presented, KeyRingSnapshot keys)
    {
        foreach (byte[]? secret in (byte[]?[])[keys.RefreshSecret, keys.PreviousRefreshSecret])
        {
            if (secret is null)
            {
                continue;
            }

            (string next, byte[] nextHash) = RefreshTokens.Next(secret, session.Handle, presented);
            if (CryptographicOperations.FixedTimeEquals(session.SecretHash.Span, nextHash))
            {
                return next;
            }
        }

        return null;
    }

    private Outcome<IssuedTokens>? Ended(SessionRecord session)
    {
        if (session.IsRevoked)
        {
            return Outcome.Failure<IssuedTokens>(TesseraErrorCodes.SessionRevoked, "This session has ended.");
        }

        return session.IsActiveAt(Clock.Now(_time))
            ? null
            : Outcome.Failure<IssuedTokens>(TesseraErrorCodes.SessionExpired, "This session has expired.");
    }

    private async ValueTask<IssuedTokens> PairAsync(SessionRecord session, string refreshToken, string issuer, CancellationToken cancellationToken)
    {
        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = Clock.Now(_time);
        var descriptor = new JwtDescriptor
        {
            Type = AccessTokenType,
            Issuer = issuer,
            Subject = session.UserId,
            Audiences = [_options.Audience],
            IssuedAt = now,
            ExpiresAt = now + _options.AccessTokenLifetime,
            JwtId = RandomIds.New128(),
            AdditionalClaims = new JsonObject
            {
                ["client_id"] = _options.ClientId,
                ["sid"] = session.Handle,
                ["scope"] = _options.Scope,
                ["roles"] = new JsonArray(),
            },
        };
        string access = JwtSigner.Sign(descriptor, keys.SigningKey, _options.Algorithm);
        return new IssuedTokens(access, _options.AccessTokenLifetime, refreshToken, session);
    }

    private static bool IsTokenSession(SessionRecord? session) =>
        session is not null && string.Equals(session.Kind, SessionKinds.Token, StringComparison.Ordinal);

    private static Outcome<IssuedTokens> Unknown() =>
        Outcome.Failure<IssuedTokens>(TesseraErrorCodes.InvalidGrant, "The refresh token is not valid.");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
