using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Keys;
using System.Diagnostics;
using System.Security.Cryptography;
using Tessera.Sessions;
using Tessera.Telemetry;
using Tessera.Users;

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
    private readonly UserRoles _roles;

    /// <summary>The access-token validator (tests read its cache).</summary>
    internal AccessTokenValidator AccessTokens => _accessTokenValidator;

    /// <summary>The token operations over <paramref name="store"/>'s sessions, checked and created through <paramref name="sessions"/>.</summary>
    /// <param name="store">The session store; refresh rotation needs its <see cref="ISessionSecretRotation"/> capability.</param>
    /// <param name="sessions">The session core every token's session goes through (checks, creation, revocation).</param>
    /// <param name="keys">The signing-key ring access tokens are signed with and verified against.</param>
    /// <param name="options">Issuer, audience, lifetimes and the refresh grace window.</param>
    /// <param name="time">The clock for <c>iat</c>, <c>exp</c> and expiries.</param>
    /// <param name="users">Where access tokens read the user's <c>roles</c> (and a refresh checks the user still exists); null: no roles.</param>
    /// <param name="logger">Where refresh-token reuse is reported (a security event).</param>
    /// <param name="events">Where refresh-token reuse is counted and audited (<c>token.reuse_detected</c>).</param>
    public TokenService(ISessionStore store, SessionService sessions, SigningKeyRing keys, TesseraTokenOptions options, TimeProvider time, IUserStore? users = null, ILogger<TokenService>? logger = null, SecurityEvents? events = null)
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
        _roles = new UserRoles(users);
        _rotation = new RefreshRotation(sessions, keys, _accessTokens, _roles, options, _lifetime, time, logger ?? (ILogger)NullLogger.Instance, events ?? SecurityEvents.MetricsOnly);
    }

    /// <summary>The token options in force (issuer, audience, lifetimes).</summary>
    public TesseraTokenOptions Options => _options;

    /// <summary>Starts a token session for a signed-in user and returns its first pair.</summary>
    public ValueTask<IssuedTokens> IssueAsync(string userId, SessionClient client, string issuer, CancellationToken cancellationToken) =>
        IssueAsync(userId, client, issuer, start: null, cancellationToken);

    /// <summary>
    /// Starts a token session for a signed-in user, as <paramref name="start"/> says (how the user
    /// authenticated; with <see cref="SessionStart.KeyThumbprint"/>, the DPoP key the session is bound to:
    /// its access tokens carry <c>cnf.jkt</c> and its refresh token needs a proof by that key, RFC 9449 §5, §6).
    /// </summary>
    public async ValueTask<IssuedTokens> IssueAsync(string userId, SessionClient client, string issuer, SessionStart? start, CancellationToken cancellationToken)
    {
        using Activity? activity = TokenActivities.Start(TokenActivities.Issue, TokenActivities.PasswordGrant);
        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        // Fail on an unreadable ring before the session exists: a session nobody holds tokens for
        // would linger in the device list.
        keys.EnsureReadable();
        IReadOnlyList<string> roles = await _roles.FindAsync(userId, cancellationToken).ConfigureAwait(false) ?? [];
        IssuedSession issued = await _sessions.CreateAsync(userId, client, SessionKinds.Token, _lifetime, grant: null, handle: null, FirstRefreshToken(keys), start, cancellationToken).ConfigureAwait(false);
        IssuedTokens tokens = _accessTokens.Pair(issued.Session, issued.Secret, issuer, keys, roles, keyThumbprint: issued.Session.KeyThumbprint);
        TokenActivities.Issued(TokenActivities.PasswordGrant, refreshToken: true);
        return tokens;
    }

    /// <summary>
    /// Starts the token session an OAuth grant creates (an authorization code's redemption) under
    /// <paramref name="handle"/>, and returns its first pair. With <paramref name="offline"/> (the
    /// <c>offline_access</c> scope, OIDC Core §11) it lives as a refresh token does; without, nobody
    /// receives its refresh token, so it lives exactly as long as its first access token and then
    /// leaves the device list by itself. The user's roles are <paramref name="roles"/> (the caller read the user).
    /// </summary>
    /// The key-ring snapshot it signed with comes back too, for the ID token issued beside (one ring read per request).
    internal ValueTask<(IssuedTokens Tokens, KeyRingSnapshot Keys)> IssueForGrantAsync(string userId, IReadOnlyList<string> roles, SessionClient client, SessionGrant grant, string handle, bool offline, string issuer, CancellationToken cancellationToken) =>
        IssueForGrantAsync(userId, roles, client, grant, handle, offline, issuer, start: null, accessKeyThumbprint: null, cancellationToken);

    /// <summary>
    /// As the overload without them: <paramref name="start"/> records how the user authenticated at the
    /// browser session that approved the code (#16: the ID token's <c>amr</c>) and may bind the session
    /// (and so its refresh token) to a DPoP key; the access token is bound to <paramref name="accessKeyThumbprint"/>
    /// (RFC 9449 §5: for a confidential client only the access token is bound, its refresh token is not).
    /// </summary>
    internal async ValueTask<(IssuedTokens Tokens, KeyRingSnapshot Keys)> IssueForGrantAsync(string userId, IReadOnlyList<string> roles, SessionClient client, SessionGrant grant, string handle, bool offline, string issuer, SessionStart? start, string? accessKeyThumbprint, CancellationToken cancellationToken)
    {
        using Activity? activity = TokenActivities.Start(TokenActivities.Issue, Tessera.OAuth.GrantTypes.AuthorizationCode);
        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        keys.EnsureReadable();
        SessionLifetime lifetime = offline ? _lifetime : new SessionLifetime(_options.AccessTokenLifetime, _options.AccessTokenLifetime);
        IssuedSession issued = await _sessions.CreateAsync(userId, client, SessionKinds.Token, lifetime, grant, handle, FirstRefreshToken(keys), start, cancellationToken).ConfigureAwait(false);
        IssuedTokens tokens = _accessTokens.Pair(issued.Session, issued.Secret, issuer, keys, roles, keyThumbprint: accessKeyThumbprint);
        TokenActivities.Issued(Tessera.OAuth.GrantTypes.AuthorizationCode, refreshToken: offline);
        return (tokens, keys);
    }

    /// <summary>
    /// How the user of the browser (cookie) session <paramref name="handle"/> authenticated (its
    /// RFC 8176 <c>amr</c> values; null: a password), ended or not: an authorization code carries it
    /// to the session its redemption creates (#16).
    /// </summary>
    internal async ValueTask<string?> AuthenticationMethodsOfAsync(string handle, string userId, CancellationToken cancellationToken) =>
        (await _sessions.FindByHandleAsync(handle, userId, SessionKinds.Cookie, cancellationToken).ConfigureAwait(false))?.AuthenticationMethods;

    /// <summary>A token session's first secret is a refresh token of generation 0 that names its session (<see cref="RefreshTokens"/>).</summary>
    private static Func<string, (string Secret, byte[] Hash)> FirstRefreshToken(KeyRingSnapshot keys) =>
        handle => RefreshTokens.First(keys.RefreshSecret, handle);

    /// <summary>A client's own access token (client_credentials, RFC 6749 §4.4): no user, no session, no refresh token.</summary>
    /// <remarks>With <paramref name="keyThumbprint"/> the token is DPoP-bound (<c>cnf.jkt</c>, RFC 9449 §6.1).</remarks>
    internal async ValueTask<(string AccessToken, TimeSpan ExpiresIn)> IssueForClientAsync(string clientId, string scope, string issuer, string? keyThumbprint, CancellationToken cancellationToken)
    {
        using Activity? activity = TokenActivities.Start(TokenActivities.Issue, Tessera.OAuth.GrantTypes.ClientCredentials);
        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        string accessToken = _accessTokens.ForClient(clientId, scope, issuer, keys, keyThumbprint);
        TokenActivities.Issued(Tessera.OAuth.GrantTypes.ClientCredentials, refreshToken: false);
        return (accessToken, _accessTokens.Lifetime);
    }

    /// <summary>The session with <paramref name="handle"/> ends (a replayed authorization code revokes what the first redemption created, RFC 6749 §4.1.2).</summary>
    internal ValueTask<bool> RevokeSessionAsync(string handle, string reason, CancellationToken cancellationToken) =>
        _sessions.RevokeAsync(handle, reason, cancellationToken);

    /// <summary>
    /// Exchanges a refresh token for a new pair (RFC 6749 §6), presented by <paramref name="client"/>.
    /// Fails with <c>invalid_grant</c> (unknown token), <c>session_revoked</c> (also when the request
    /// breaks the session's binding), <c>session_expired</c> or <c>refresh_token_reused</c> (the token
    /// was rotated away: the whole session is revoked).
    /// </summary>
    public ValueTask<Outcome<IssuedTokens>> RefreshAsync(string? refreshToken, SessionClient client, string issuer, CancellationToken cancellationToken) =>
        RefreshAsync(refreshToken, client, issuer, RefreshRequest.FirstParty, cancellationToken);

    /// <summary>
    /// As <see cref="RefreshAsync(string?, SessionClient, string, CancellationToken)"/> for a request that
    /// names its client and may narrow the scope (RFC 6749 §6); also fails with <c>invalid_grant</c>
    /// when the token was issued to another client (or to none) and <c>invalid_scope</c> when the scope
    /// asked for is wider than the grant. The answer's <see cref="IssuedTokens.Scope"/> says what was granted.
    /// </summary>
    public ValueTask<Outcome<IssuedTokens>> RefreshAsync(string? refreshToken, SessionClient client, string issuer, RefreshRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MeasuredRefreshAsync(refreshToken, client, issuer, request, cancellationToken);
    }

    private async ValueTask<Outcome<IssuedTokens>> MeasuredRefreshAsync(string? refreshToken, SessionClient client, string issuer, RefreshRequest request, CancellationToken cancellationToken)
    {
        using Activity? activity = TokenActivities.Start(TokenActivities.Refresh, Tessera.OAuth.GrantTypes.RefreshToken);
        Outcome<IssuedTokens> refreshed = await _rotation.RefreshAsync(refreshToken, client, issuer, request, cancellationToken).ConfigureAwait(false);
        string outcome = refreshed.Succeeded ? TesseraMetrics.Succeeded : refreshed.Error.Code;
        TesseraMetrics.Refresh(outcome);
        TokenActivities.Ended(activity, outcome);
        if (refreshed.Succeeded)
        {
            TokenActivities.Issued(Tessera.OAuth.GrantTypes.RefreshToken, refreshToken: true);
        }

        return refreshed;
    }

    /// <summary>
    /// Ends the session of a refresh token (RFC 7009 §2.1, also for the previous token). False when
    /// the token names no live session; RFC 7009 answers 200 either way.
    /// </summary>
    public async ValueTask<bool> RevokeAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (!RefreshTokens.TryRead(refreshToken, out PresentedRefreshToken presented))
        {
            return false;
        }

        SessionRecord? session = await FindCurrentOrPreviousAsync(presented, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return false; // an older token revokes nothing: RFC 7009 §2.2 answers 200 anyway
        }

        return await _sessions.RevokeAsync(session, RevocationReasons.SignedOut, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// RFC 7009 for either kind of token, asked by <paramref name="clientId"/> (the authenticated
    /// client; null for a first-party caller). A refresh token ends its session (the previous one too);
    /// an access token ends the session its <c>sid</c> names, so introspection and every API refuse it
    /// at once. Only the client the token was issued to may revoke it (§2.1): <c>unauthorized_client</c>
    /// otherwise. An access token naming no session (client_credentials) is <c>unsupported_token_type</c>
    /// (§2.2.1). A token that is not valid (unknown, expired, forged) is success with false: §2.2 answers 200.
    /// </summary>
    public async ValueTask<Outcome<bool>> RevokeTokenAsync(string token, string? clientId, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        SessionRecord? session;
        if (LooksLikeJws(token))
        {
            Outcome<(Jose.Jwt.JwtClaims Claims, string? SessionId, bool FromCache)> access = await _accessTokenValidator.ValidateAsync(token, issuer, cancellationToken).ConfigureAwait(false);
            if (!access.Succeeded)
            {
                return Outcome.Success(false);
            }

            if (access.Value.SessionId is not { } sid)
            {
                return Outcome.Failure<bool>(TesseraErrorCodes.UnsupportedTokenType, "This access token names no session; it ends when it expires.");
            }

            session = await _sessions.FindByHandleAsync(sid, access.Value.Claims.Subject, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            session = !RefreshTokens.TryRead(token, out PresentedRefreshToken presented)
                ? null
                : await FindCurrentOrPreviousAsync(presented, cancellationToken).ConfigureAwait(false);
        }

        if (session is null)
        {
            return Outcome.Success(false);
        }

        if (!string.Equals(session.ClientId, clientId, StringComparison.Ordinal))
        {
            return Outcome.Failure<bool>(TesseraErrorCodes.UnauthorizedClient, "This token was not issued to this client.");
        }

        return Outcome.Success(await _sessions.RevokeAsync(session, RevocationReasons.SignedOut, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The session whose current or previous refresh token <paramref name="presented"/> is (RFC 7009
    /// §2.1 revokes by either). A version-2 token's previous one is found through the handle it names
    /// (issue #13: its rotation keeps no index by the retired hash, <see cref="PreviousSecretLookup.ByHandle"/>),
    /// then compared in constant time with the record's previous hash: the SHA-256 of the whole token,
    /// handle and generation included, so only that exact token matches and no tag check is needed.
    /// A version-1 token names no session: its previous one is found by hash.
    /// </summary>
    private async ValueTask<SessionRecord?> FindCurrentOrPreviousAsync(PresentedRefreshToken presented, CancellationToken cancellationToken)
    {
        SessionRecord? current = await _sessions.FindBySecretHashAsync(presented.Hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            return current;
        }

        if (presented.Handle is not { } handle)
        {
            return await _sessions.FindByPreviousSecretHashAsync(presented.Hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        }

        SessionRecord? named = await _sessions.FindByHandleAsync(handle, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        return named?.PreviousSecretHash is { } previous && CryptographicOperations.FixedTimeEquals(previous.Span, presented.Hash) ? named : null;
    }

    /// <summary>A JWS in compact form has two dots; a refresh token (base64url) has none.</summary>
    internal static bool LooksLikeJws(string token) => token.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// Checks an access token presented by <paramref name="client"/> (RFC 6750): its JWS and claims,
    /// then the session its <c>sid</c> names through <see cref="SessionService.ValidateHandleAsync"/>
    /// (revoked, expired, binding; the throttled touch), so a revoked session refuses its access
    /// tokens at once. Fails with <c>invalid_token</c> (its <see cref="TesseraError.Reason"/> the JOSE
    /// code when the token itself is bad), <c>session_revoked</c> or <c>session_expired</c>.
    /// </summary>
    public ValueTask<Outcome<ValidatedAccessToken>> ValidateAccessTokenAsync(string? accessToken, SessionClient client, string issuer, CancellationToken cancellationToken) =>
        ValidateAccessTokenAsync(accessToken, client, issuer, beforeSession: null, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="beforeSession"/>, which runs on the verified claims before
    /// the session is read and refuses the token when it returns an error. A DPoP-bound token's proof is
    /// checked there (RFC 9449 §7.1): a caller without the key must not reach the session, whose touch
    /// and binding policy (revoke on a new address) would otherwise act on a thief's request.
    /// </summary>
    public async ValueTask<Outcome<ValidatedAccessToken>> ValidateAccessTokenAsync(string? accessToken, SessionClient client, string issuer, Func<Jose.Jwt.JwtClaims, ValueTask<TesseraError?>>? beforeSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using Activity? activity = TokenActivities.Start(TokenActivities.Verify, grant: null);
        Outcome<(Jose.Jwt.JwtClaims Claims, string? SessionId, bool FromCache)> token = await _accessTokenValidator.ValidateAsync(accessToken, issuer, cancellationToken).ConfigureAwait(false);
        if (!token.Succeeded)
        {
            return Outcome.Failure<ValidatedAccessToken>(token.Error);
        }

        if (token.Value.SessionId is null)
        {
            // A client's own token (client_credentials) names no session: not a credential for this server's own APIs.
            return Outcome.Failure<ValidatedAccessToken>(new TesseraError(TesseraErrorCodes.InvalidToken, "The access token is not valid.") { Reason = Jose.JoseErrorCodes.ClaimMissing });
        }

        if (beforeSession is not null && await beforeSession(token.Value.Claims).ConfigureAwait(false) is { } proofRefused)
        {
            return Outcome.Failure<ValidatedAccessToken>(proofRefused);
        }

        SessionValidation session = await _sessions.ValidateHandleAsync(token.Value.SessionId, token.Value.Claims.Subject, SessionKinds.Token, _lifetime, client, cancellationToken).ConfigureAwait(false);
        if (session.Session is null)
        {
            // A token signed by this server's key whose session it does not know: flagged for the log.
            return session.UnknownSession
                ? Outcome.Failure<ValidatedAccessToken>(new TesseraError(TesseraErrorCodes.InvalidToken, "The access token is not valid.") { Reason = SessionValidation.UnknownSessionReason })
                : Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token is not valid.");
        }

        return session.Error is { } refused
            ? Outcome.Failure<ValidatedAccessToken>(refused)
            : Outcome.Success(new ValidatedAccessToken(session.Session, token.Value.Claims) { BindingMismatch = session.BindingMismatch, FromCache = token.Value.FromCache });
    }

    /// <summary>
    /// RFC 7662 for an access token: the token's claims and its session when both are valid and the
    /// session is active, as <see cref="ValidateAccessTokenAsync(string, SessionClient, string, CancellationToken)"/> but without the binding check and
    /// the touch: the caller is a resource server asking about a token, not the token's holder.
    /// </summary>
    public async ValueTask<Outcome<ValidatedAccessToken>> InspectAccessTokenAsync(string? accessToken, string issuer, CancellationToken cancellationToken)
    {
        Outcome<InspectedAccessToken> inspected = await InspectAnyAccessTokenAsync(accessToken, issuer, cancellationToken).ConfigureAwait(false);
        if (!inspected.Succeeded)
        {
            return Outcome.Failure<ValidatedAccessToken>(inspected.Error);
        }

        return inspected.Value.Session is { } session
            ? Outcome.Success(new ValidatedAccessToken(session, inspected.Value.Claims))
            : Outcome.Failure<ValidatedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token names no session.");
    }

    /// <summary>
    /// RFC 7662 for any access token this server issued: a token session's while its session is
    /// active, a client's own (client_credentials, no <c>sid</c>) while its signature and claims are valid.
    /// The session is as current as the store answers it: behind a near cache (<see cref="Tessera.Sessions.Changes.NearCachedSessionStore"/>)
    /// a revocation made elsewhere counts once the store's change feed delivers it, never later than the feed's staleness bound allows.
    /// </summary>
    public async ValueTask<Outcome<InspectedAccessToken>> InspectAnyAccessTokenAsync(string? accessToken, string issuer, CancellationToken cancellationToken)
    {
        using Activity? activity = TokenActivities.Start(TokenActivities.Introspect, grant: null);
        Outcome<(Jose.Jwt.JwtClaims Claims, string? SessionId, bool FromCache)> token = await _accessTokenValidator.ValidateAsync(accessToken, issuer, cancellationToken).ConfigureAwait(false);
        if (!token.Succeeded)
        {
            return Outcome.Failure<InspectedAccessToken>(token.Error);
        }

        if (token.Value.SessionId is not { } sid)
        {
            return Outcome.Success(new InspectedAccessToken(token.Value.Claims, null));
        }

        SessionRecord? session = await _sessions.FindByHandleAsync(sid, token.Value.Claims.Subject, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        return session is not null && _sessions.IsActive(session)
            ? Outcome.Success(new InspectedAccessToken(token.Value.Claims, session))
            : Outcome.Failure<InspectedAccessToken>(TesseraErrorCodes.InvalidToken, "The access token's session is not active.");
    }

    /// <summary>The public keys to publish (JWKS).</summary>
    public async ValueTask<Jose.Keys.JwkSet> PublishedKeysAsync(CancellationToken cancellationToken) =>
        (await _keys.GetAsync(cancellationToken).ConfigureAwait(false)).Published;

    /// <summary>
    /// RFC 7662 for a refresh token: the session when the token is its current refresh token and
    /// the session is active; null otherwise (a previous token is not active, even in the grace window).
    /// As current as <see cref="InspectAnyAccessTokenAsync"/>: a rotation or revocation made on another instance
    /// behind a near cache counts once the change feed delivers it.
    /// </summary>
    public async ValueTask<SessionRecord?> InspectRefreshTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (!RefreshTokens.TryRead(refreshToken, out PresentedRefreshToken presented))
        {
            return null;
        }

        SessionRecord? session = await _sessions.FindBySecretHashAsync(presented.Hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        return session is not null && _sessions.IsActive(session) ? session : null;
    }
}
