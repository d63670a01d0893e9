using Tessera.Keys;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// Token mode, as the endpoints see it: a token sign-in is a session (kind <see cref="SessionKinds.Token"/>)
/// whose secret is the current refresh token and whose lifetimes are the refresh lifetimes of
/// <see cref="TesseraTokenOptions"/>. Every check of that session (revoked, expiry, binding) and its
/// touch are <see cref="SessionService"/>'s, exactly as for a cookie; this façade hands the token
/// parts to <see cref="AccessTokenIssuer"/>, <see cref="AccessTokenValidator"/> and <see cref="RefreshRotation"/>.
/// </summary>
public sealed class TokenService
{
    private readonly SessionService _sessions;
    private readonly SigningKeyRing _keys;
    private readonly TesseraTokenOptions _options;
    private readonly SessionLifetime _lifetime;
    private readonly AccessTokenIssuer _accessTokens;
    private readonly AccessTokenValidator _accessTokenValidator;
    private readonly RefreshRotation _rotation;

    /// <summary>The access-token validator (tests read its cache).</summary>
    internal AccessTokenValidator AccessTokens => _accessTokenValidator;

    public TokenService(ISessionStore store, SessionService sessions, SigningKeyRing keys, TesseraTokenOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid token options: {problem}.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(store); // kept in the signature; every store call goes through the session core
        _sessions = sessions;
        _keys = keys;
        _options = options;
        _lifetime = new SessionLifetime(options.RefreshIdleLifetime, options.RefreshAbsoluteLifetime);
        _accessTokens = new AccessTokenIssuer(options, time);
        _accessTokenValidator = new AccessTokenValidator(keys, options, time);
        _rotation = new RefreshRotation(sessions, keys, _accessTokens, options, _lifetime, time);
    }

    public TesseraTokenOptions Options => _options;

    /// <summary>Starts a token session for a signed-in user and returns its first pair.</summary>
    public async ValueTask<IssuedTokens> IssueAsync(string userId, SessionClient client, string issuer, CancellationToken cancellationToken)
    {
        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        // Fail on an unreadable ring before the session exists: a session nobody holds tokens for
        // would linger in the device list.
        keys.EnsureReadable();
        IssuedSession issued = await _sessions.CreateAsync(userId, client, SessionKinds.Token, _lifetime, cancellationToken).ConfigureAwait(false);
        return _accessTokens.Pair(issued.Session, issued.Secret, issuer, keys);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair (RFC 6749 §6), presented by <paramref name="client"/>.
    /// Fails with <c>invalid_grant</c> (unknown token), <c>session_revoked</c> (also when the request
    /// breaks the session's binding), <c>session_expired</c> or <c>refresh_token_reused</c> (the token
    /// was rotated away: the whole session is revoked).
    /// </summary>
    public ValueTask<Outcome<IssuedTokens>> RefreshAsync(string? refreshToken, SessionClient client, string issuer, CancellationToken cancellationToken) =>
        _rotation.RefreshAsync(refreshToken, client, issuer, cancellationToken);

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

        SessionRecord? session = await _sessions.FindBySecretHashAsync(hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false)
            ?? await _sessions.FindByPreviousSecretHashAsync(hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return false; // an older token revokes nothing: RFC 7009 §2.2 answers 200 anyway
        }

        return await _sessions.RevokeAsync(session.Handle, RevocationReasons.SignedOut, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks an access token presented by <paramref name="client"/> (RFC 6750): its JWS and claims,
    /// then the session its <c>sid</c> names through <see cref="SessionService.ValidateHandleAsync"/>
    /// (revoked, expired, binding; the throttled touch), so a revoked session refuses its access
    /// tokens at once. Fails with <c>invalid_token</c> (its <see cref="TesseraError.Reason"/> the JOSE
    /// code when the token itself is bad), <c>session_revoked</c> or <c>session_expired</c>.
    /// </summary>
    public async ValueTask<Outcome<ValidatedAccessToken>> ValidateAccessTokenAsync(string? accessToken, SessionClient client, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        Outcome<(Jose.Jwt.JwtClaims Claims, string SessionId)> token = await _accessTokenValidator.ValidateAsync(accessToken, issuer, cancellationToken).ConfigureAwait(false);
        if (!token.Succeeded)
        {
            return Outcome.Failure<ValidatedAccessToken>(token.Error);
        }

        SessionValidation session = await _sessions.ValidateHandleAsync(token.Value.SessionId, token.Value.Claims.Subject, SessionKinds.Token, _lifetime, client, cancellationToken).ConfigureAwait(false);
        if (session.Session is null)
        {
            return Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token is not valid.");
        }

        return session.Error is { } refused
            ? Outcome.Failure<ValidatedAccessToken>(refused)
            : Outcome.Success(new ValidatedAccessToken(session.Session, token.Value.Claims) { BindingMismatch = session.BindingMismatch });
    }

    /// <summary>
    /// RFC 7662 for an access token: the token's claims and its session when both are valid and the
    /// session is active, as <see cref="ValidateAccessTokenAsync"/> but without the binding check and
    /// the touch: the caller is a resource server asking about a token, not the token's holder.
    /// </summary>
    public async ValueTask<Outcome<ValidatedAccessToken>> InspectAccessTokenAsync(string? accessToken, string issuer, CancellationToken cancellationToken)
    {
        Outcome<(Jose.Jwt.JwtClaims Claims, string SessionId)> token = await _accessTokenValidator.ValidateAsync(accessToken, issuer, cancellationToken).ConfigureAwait(false);
        if (!token.Succeeded)
        {
            return Outcome.Failure<ValidatedAccessToken>(token.Error);
        }

        SessionRecord? session = await _sessions.FindByHandleAsync(token.Value.SessionId, token.Value.Claims.Subject, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        return session is not null && _sessions.IsActive(session)
            ? Outcome.Success(new ValidatedAccessToken(session, token.Value.Claims))
            : Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token's session is not active.");
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

        SessionRecord? session = await _sessions.FindBySecretHashAsync(hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        return session is not null && _sessions.IsActive(session) ? session : null;
    }
}
