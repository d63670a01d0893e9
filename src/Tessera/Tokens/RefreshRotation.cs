using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Telemetry;

namespace Tessera.Tokens;

/// <summary>
/// The refresh grant (RFC 6749 §6) over the session core: the session checks and the atomic
/// rotate-and-touch are <see cref="SessionService"/>'s; what is left here is about refresh tokens —
/// deriving the next one (<see cref="RefreshTokens"/>), the grace answer to the previous one, and
/// reuse of an older one, which ends the session (RFC 9700 §4.14.2) — and what the grant allows: the
/// session refreshes only for the client it was granted to (RFC 6749 §6: "the refresh token was issued
/// to the authenticated client"), for the user it belongs to while that user exists, and for its
/// scope or a subset of it (never wider, RFC 6749 §6). Those checks run before the rotation, so a
/// refused request changes nothing.
/// The grace answer goes only to the client whose request won the rotation (issue #14 finding 4,
/// <see cref="SessionClientFingerprint"/>), within <see cref="TesseraTokenOptions.ReuseGraceWindow"/>
/// counted from that rotation (a grace answer writes nothing, so it never extends the window); any
/// other replay is reuse, and is logged as a security event.
/// A session bound to a DPoP key (<see cref="SessionRecord.KeyThumbprint"/>) refreshes only with a
/// proof by that key (RFC 9449 §5, <see cref="DpopKeyOf"/>), checked with the grant before anything
/// changes; a retired token is still reuse whatever proof comes with it.
/// </summary>
internal sealed partial class RefreshRotation(
    SessionService sessions,
    SigningKeyRing keyRing,
    AccessTokenIssuer accessTokens,
    UserRoles userRoles,
    TesseraTokenOptions options,
    SessionLifetime lifetime,
    TimeProvider time,
    ILogger logger,
    SecurityEvents events)
{
    public async ValueTask<Outcome<IssuedTokens>> RefreshAsync(string? refreshToken, SessionClient client, string issuer, RefreshRequest request, CancellationToken cancellationToken)
    {
        if (!RefreshTokens.TryRead(refreshToken, out PresentedRefreshToken presented))
        {
            return Unknown();
        }

        byte[] hash = presented.Hash;

        // Read once per request: derivation and signing below use this same snapshot.
        KeyRingSnapshot keys = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        SessionValidation current = await sessions.ValidateSecretHashAsync(hash, SessionKinds.Token, client, cancellationToken).ConfigureAwait(false);
        SessionRecord? session;
        bool proofUsed = false;
        if (current.Session is { } found)
        {
            if (current.Error is { } refused)
            {
                return Outcome.Failure<IssuedTokens>(refused);
            }

            Outcome<Grant> grant = await CheckGrantAsync(found, request, cancellationToken).ConfigureAwait(false);
            if (!grant.Succeeded)
            {
                return Outcome.Failure<IssuedTokens>(grant.Error);
            }

            Outcome<string?> boundKey = DpopKeyOf(found, request);
            if (!boundKey.Succeeded)
            {
                return Outcome.Failure<IssuedTokens>(boundKey.Error);
            }

            if (await UseProofAsync(request, cancellationToken).ConfigureAwait(false) is { } replayed)
            {
                return Outcome.Failure<IssuedTokens>(replayed);
            }

            proofUsed = true;
            (string next, byte[] nextHash) = RefreshTokens.Next(keys.RefreshSecret, found.Handle, refreshToken!, found.Generation + 1);
            // #13: a version-2 token names its session, so once retired it is found by handle
            // (FindRetiredAsync, and TokenService's RFC 7009 paths) and the store needs no index of its
            // hash; a version-1 token names none, so its retirement keeps the index.
            PreviousSecretLookup lookup = presented.Handle is null ? PreviousSecretLookup.ByHash : PreviousSecretLookup.ByHandle;
            SessionRecord? rotated = await sessions.TryRotateSecretAsync(found, hash, nextHash, lifetime, client, lookup, cancellationToken).ConfigureAwait(false);
            if (rotated is not null)
            {
                return Outcome.Success(accessTokens.Pair(rotated, next, issuer, keys, grant.Value.Roles, grant.Value.Scope, boundKey.Value));
            }

            // Another refresh with this token won the race: answer as for the previous token.
            session = await sessions.FindByHandleAsync(found.Handle, found.UserId, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            (session, keys) = await FindRetiredAsync(presented, keys, cancellationToken).ConfigureAwait(false);
        }

        if (session is null)
        {
            return Unknown();
        }

        // Another client's token is refused before reuse detection: it was not issued to this client.
        Outcome<Grant> retiredGrant = await CheckGrantAsync(session, request, cancellationToken).ConfigureAwait(false);
        if (retiredGrant.Succeeded && !proofUsed && await UseProofAsync(request, cancellationToken).ConfigureAwait(false) is { } replayedRetired)
        {
            // A replayed request (its token retired by the original) is refused as the replay it is, before reuse detection.
            return Outcome.Failure<IssuedTokens>(replayedRetired);
        }

        return retiredGrant.Succeeded
            ? await AnswerRetiredAsync(session, refreshToken!, presented, client, keys, issuer, retiredGrant.Value, DpopKeyOf(session, request), cancellationToken).ConfigureAwait(false)
            : Outcome.Failure<IssuedTokens>(retiredGrant.Error);
    }

    // The DPoP proof's single-use mark, taken only for a token that was found and is this client's (RefreshRequest.UseProof).
    private static ValueTask<TesseraError?> UseProofAsync(RefreshRequest request, CancellationToken cancellationToken) =>
        request.UseProof?.Invoke(cancellationToken) ?? ValueTask.FromResult<TesseraError?>(null);

    /// <summary>
    /// The session a token that is no longer current was retired from, or null when it is none of
    /// ours. A version-2 token names its session and generation: when its tag is the server's (under
    /// the current or the previous refresh secret) and its generation is older than the session's, it
    /// was retired — whatever its age, with nothing stored per retired token. A version-1 token is
    /// recognised only as a session's previous one.
    /// </summary>
    private async ValueTask<(SessionRecord? Session, KeyRingSnapshot Keys)> FindRetiredAsync(PresentedRefreshToken presented, KeyRingSnapshot keys, CancellationToken cancellationToken)
    {
        if (presented.Handle is not { } handle)
        {
            return (await sessions.FindByPreviousSecretHashAsync(presented.Hash, SessionKinds.Token, cancellationToken).ConfigureAwait(false), keys);
        }

        if (!IsAuthentic(presented, keys))
        {
            // The token may come from an instance that already read a newer refresh secret.
            keys = await keyRing.RereadAsync(cancellationToken).ConfigureAwait(false);
            if (!IsAuthentic(presented, keys))
            {
                return (null, keys);
            }
        }

        SessionRecord? session = await sessions.FindByHandleAsync(handle, SessionKinds.Token, cancellationToken).ConfigureAwait(false);
        return (session is not null && presented.Generation < session.Generation ? session : null, keys);
    }

    private static bool IsAuthentic(PresentedRefreshToken presented, KeyRingSnapshot keys) =>
        RefreshTokens.IsAuthentic(keys.RefreshSecret, presented)
        || (keys.PreviousRefreshSecret is { } previous && RefreshTokens.IsAuthentic(previous, presented));

    /// <summary>What the refreshed access token will carry: the user's roles now and the scope asked for.</summary>
    private readonly record struct Grant(IReadOnlyList<string> Roles, string? Scope);

    /// <summary>The client binding, the user and the scope of a refresh (RFC 6749 §6), before anything changes.</summary>
    private async ValueTask<Outcome<Grant>> CheckGrantAsync(SessionRecord session, RefreshRequest request, CancellationToken cancellationToken)
    {
        if (!string.Equals(session.ClientId, request.ClientId, StringComparison.Ordinal))
        {
            return Outcome.Failure<Grant>(TesseraErrorCodes.InvalidGrant, "The refresh token was not issued to this client.");
        }

        string? scope = null;
        if (request.Scope is { Count: > 0 } asked)
        {
            IReadOnlyList<string> granted = OAuth.Scopes.Parse(accessTokens.GrantedScope(session)) ?? [];
            if (!OAuth.Scopes.IsSubset(asked, granted))
            {
                return Outcome.Failure<Grant>(TesseraErrorCodes.InvalidScope, "A refresh may ask for the scope granted or less, never more.");
            }

            scope = OAuth.Scopes.Format(asked);
        }

        IReadOnlyList<string>? roles = await userRoles.FindAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return roles is null
            ? Outcome.Failure<Grant>(TesseraErrorCodes.InvalidGrant, "The user of this refresh token no longer exists or is disabled.")
            : Outcome.Success(new Grant(roles, scope));
    }

    /// <summary>
    /// The DPoP key the refreshed access token is bound to, or why the refresh is refused (RFC 9449 §5).
    /// A refresh token bound to a key (Tessera's own sessions and public clients' started with a proof)
    /// needs a proof by that key: without one, or with another key's, <c>invalid_dpop_proof</c>. A
    /// session started without DPoP refreshed with a proof is refused too: §5 says a refresh token
    /// issued to a public client that presents a proof MUST be bound to its key, and binding a live
    /// session now would let whoever holds a stolen bearer refresh token lock it to their own key; the
    /// binding is chosen when the session starts (sign in again with a proof). A confidential client's
    /// refresh token is not bound (§5): its access token is bound to the key it proves now, if any.
    /// </summary>
    internal static Outcome<string?> DpopKeyOf(SessionRecord session, RefreshRequest request)
    {
        string? proved = request.DpopKeyThumbprint;
        if (!request.RefreshTokenBound)
        {
            return Outcome.Success(proved);
        }

        if (session.KeyThumbprint is not { } bound)
        {
            return proved is null
                ? Outcome.Success<string?>(null)
                : Outcome.Failure<string?>(Dpop.DpopErrorCodes.InvalidProof, "This session was started without DPoP, so its refresh token is not bound to a key; sign in again with a DPoP proof for DPoP-bound tokens.");
        }

        if (proved is null)
        {
            return Outcome.Failure<string?>(Dpop.DpopErrorCodes.InvalidProof, "This refresh token is bound to a DPoP key: the request needs a DPoP proof made with it.");
        }

        return string.Equals(bound, proved, StringComparison.Ordinal)
            ? Outcome.Success<string?>(bound)
            : Outcome.Failure<string?>(Dpop.DpopErrorCodes.InvalidProof, "The DPoP proof was made with another key than the one this refresh token is bound to.");
    }

    /// <summary>A token that a rotation replaced came back: the grace answer for the previous one (with the key check of <see cref="DpopKeyOf"/>), else reuse.</summary>
    private async ValueTask<Outcome<IssuedTokens>> AnswerRetiredAsync(SessionRecord session, string presented, PresentedRefreshToken token, SessionClient client, KeyRingSnapshot keys, string issuer, Grant grant, Outcome<string?> boundKey, CancellationToken cancellationToken)
    {
        byte[] hash = token.Hash;
        if (session.IsRevoked)
        {
            return Outcome.Failure<IssuedTokens>(TesseraErrorCodes.SessionRevoked, "This session has ended.");
        }

        if (!sessions.IsActive(session))
        {
            return Outcome.Failure<IssuedTokens>(TesseraErrorCodes.SessionExpired, "This session has expired.");
        }

        bool isPrevious = session.PreviousSecretHash is { } previous && CryptographicOperations.FixedTimeEquals(previous.Span, hash);
        bool withinGrace = session.SecretRotatedAt is { } rotatedAt && Clock.Now(time) - rotatedAt <= options.ReuseGraceWindow;
        bool sameClient = SessionClientFingerprint.Matches(session.RotatedBy, client);
        if (isPrevious && withinGrace && sameClient)
        {
            // Only a token that may get the grace answer is checked against the binding: a replay
            // outside it is reuse wherever it comes from, and must be reported as such (a stolen
            // token is usually replayed from another client).
            SessionValidation checkedSession = await sessions.CheckAsync(session, client, cancellationToken).ConfigureAwait(false);
            if (checkedSession.Error is { } refused)
            {
                return Outcome.Failure<IssuedTokens>(refused);
            }

            if (!boundKey.Succeeded)
            {
                // The grace answer issues tokens: a bound session's only to its key. Not reuse (the token is the previous one, in time, from the same client).
                return Outcome.Failure<IssuedTokens>(boundKey.Error);
            }

            session = checkedSession.Session!;
            string? next = RotatedTo(session, presented, keys);
            if (next is null)
            {
                // The winning rotation may have run on an instance that already read a newer refresh
                // secret than this one holds: read the ring again before calling it reuse.
                keys = await keyRing.RereadAsync(cancellationToken).ConfigureAwait(false);
                next = RotatedTo(session, presented, keys);
            }

            if (next is not null)
            {
                // The client lost the answer to its refresh (or raced itself): give it the same new
                // refresh token again, so there is still exactly one live token. No store write.
                return Outcome.Success(accessTokens.Pair(session, next, issuer, keys, grant.Roles, grant.Scope, boundKey.Value));
            }
        }

        // RFC 9700 §4.14.2: a rotated-away refresh token came back (any generation); the session may be stolen. End it.
        if (await sessions.RevokeAsync(session, RevocationReasons.RefreshTokenReused, cancellationToken).ConfigureAwait(false))
        {
            await events.RefreshTokenReusedAsync(session).ConfigureAwait(false);
            string why = !isPrevious ? "older_generation" : !withinGrace ? "after_grace_window" : !sameClient ? "other_client" : "unknown_successor";
            LogReuse(logger, session.Handle, session.UserId, why, token.Generation ?? -1, session.Generation, client.IpAddress);
        }

        return Outcome.Failure<IssuedTokens>(TesseraErrorCodes.RefreshTokenReused, "This refresh token was already used; the session has been revoked.");
    }

    /// <summary>A security event (OWASP ASVS 5 §16.3): no token, no hash; the handle and user say which session ended.</summary>
    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Refresh token reuse ({Why}): session {SessionHandle} of user {UserId} revoked; presented generation {PresentedGeneration} (-1: before generations), session at {SessionGeneration}, from {ClientIp}")]
    private static partial void LogReuse(ILogger logger, string sessionHandle, string userId, string why, long presentedGeneration, long sessionGeneration, string? clientIp);

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

            // The session's generation is the successor's: the presented token was the one before.
            (string next, byte[] nextHash) = RefreshTokens.Next(secret, session.Handle, presented, session.Generation);
            if (CryptographicOperations.FixedTimeEquals(session.SecretHash.Span, nextHash))
            {
                return next;
            }
        }

        return null;
    }

    private static Outcome<IssuedTokens> Unknown() =>
        Outcome.Failure<IssuedTokens>(TesseraErrorCodes.InvalidGrant, "The refresh token is not valid.");
}
