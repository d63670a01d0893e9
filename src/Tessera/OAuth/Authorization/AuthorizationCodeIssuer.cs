using Tessera.Sessions;

namespace Tessera.OAuth.Authorization;

/// <summary>
/// Issues authorization codes (RFC 6749 §4.1.2): 256 random bits, of which only the SHA-256 is
/// stored, living <see cref="Lifetime"/>, bound to the client, the exact redirect URI, the PKCE
/// challenge, the nonce and the granted scope. The token endpoint redeems them once.
/// </summary>
public sealed class AuthorizationCodeIssuer(IAuthorizationCodeStore codes, TimeProvider time)
{
    /// <summary>RFC 6749 §4.1.2 recommends at most ten minutes; a browser redirect takes seconds.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A new code for <paramref name="request"/>, approved by <paramref name="browserSession"/> (the
    /// user's cookie session, whose authentication time becomes the ID token's <c>auth_time</c>).
    /// </summary>
    public async ValueTask<string> IssueAsync(AuthorizationRequest request, SessionRecord browserSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(browserSession);
        DateTimeOffset now = Clock.Now(time);
        (string code, byte[] hash) = SessionSecret.Generate();
        await codes.CreateAsync(new AuthorizationCode
        {
            CodeHash = hash,
            ClientId = request.ClientId,
            UserId = browserSession.UserId,
            RedirectUri = request.RedirectUri,
            Scope = request.Scope,
            CodeChallenge = request.CodeChallenge,
            Nonce = request.Nonce,
            DpopKeyThumbprint = request.DpopKeyThumbprint,
            AuthenticatedAt = AuthenticatedAt(browserSession),
            BrowserSessionHandle = browserSession.Handle,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        }, cancellationToken).ConfigureAwait(false);
        return code;
    }

    /// <summary>When the user of a browser session signed in (OIDC <c>auth_time</c>): a cookie session is created by a sign-in.</summary>
    public static DateTimeOffset AuthenticatedAt(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.AuthenticatedAt ?? session.CreatedAt;
    }
}
