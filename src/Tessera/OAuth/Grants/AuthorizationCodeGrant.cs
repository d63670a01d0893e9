using Tessera.Keys;
using Tessera.OAuth.IdTokens;
using Tessera.Sessions;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.OAuth.Grants;

/// <summary>
/// The authorization code grant at the token endpoint (RFC 6749 §4.1.3, PKCE RFC 7636 §4.6): the
/// code is redeemed once, atomically, under the handle of the session its redemption will create;
/// then it must be unexpired, issued to this client, for this exact redirect URI, and its S256
/// challenge must match the verifier. Every refusal is <c>invalid_grant</c> and issues nothing. A
/// code presented again revokes the session the first redemption created (RFC 6749 §4.1.2, RFC 9700
/// §4.5): if the replay arrives in the milliseconds between the first redemption and its session's
/// creation, there is nothing to revoke yet (a documented race; the first client still gets tokens).
/// A code that failed a check is spent all the same: a stolen code cannot be tried twice. With
/// <c>openid</c> granted, an ID token comes beside the access token (OIDC Core §3.1.3.3,
/// <see cref="IdTokenIssuer"/>): <c>nonce</c> and <c>auth_time</c> from the code, <c>sid</c> the new session.
/// With a DPoP proof the access token is bound to its key (RFC 9449 §5), and for a public client the
/// session and so its refresh token too; a code whose authorization request named <c>dpop_jkt</c>
/// (§10) is redeemed only with a proof by that key (<c>invalid_dpop_proof</c> otherwise, and the code is spent).
/// </summary>
public sealed class AuthorizationCodeGrant(IAuthorizationCodeStore codes, IUserStore users, TokenService tokens, IdTokenIssuer idTokens, TimeProvider time)
{
    /// <summary>Why a session ended because its code came back (the device list shows it).</summary>
    public const string CodeReplayedReason = "authorization_code_replayed";

    /// <summary>
    /// Exchanges <paramref name="request"/>'s code for tokens for <paramref name="client"/> (already
    /// authenticated as registered, and allowed this grant). The session created is of kind token,
    /// granted to the client with the code's scope; it gets a refresh token only with
    /// <c>offline_access</c> granted and the refresh grant registered (OIDC Core §11).
    /// </summary>
    public async ValueTask<Outcome<GrantedTokens>> RedeemAsync(AuthorizationCodeRequest request, OAuthClient client, SessionClient device, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        byte[] hash = new byte[SessionSecret.HashLength];
        if (!SessionSecret.TryHash(request.Code, hash))
        {
            return Refused("The authorization code is not valid.");
        }

        DateTimeOffset now = Clock.Now(time);
        string handle = RandomIds.New128();
        AuthorizationCode? code = await codes.TryRedeemAsync(hash, now, handle, cancellationToken).ConfigureAwait(false);
        if (code is null)
        {
            return Refused("The authorization code is not valid.");
        }

        if (code.RedeemedAt is not null)
        {
            if (code.IssuedSessionHandle is { } issued)
            {
                await tokens.RevokeSessionAsync(issued, CodeReplayedReason, cancellationToken).ConfigureAwait(false);
            }

            return Refused("The authorization code was already used; what it issued has been revoked.");
        }

        if (Problem(code, request, client, now) is { } problem)
        {
            return Refused(problem);
        }

        // RFC 9449 §10.1: the code is bound to the key the authorization request named.
        if (code.DpopKeyThumbprint is { } boundTo && !string.Equals(boundTo, request.DpopKeyThumbprint, StringComparison.Ordinal))
        {
            return Outcome.Failure<GrantedTokens>(Dpop.DpopErrorCodes.InvalidProof, request.DpopKeyThumbprint is null
                ? "This authorization code is bound to a DPoP key (dpop_jkt): the token request needs a DPoP proof made with it."
                : "The DPoP proof was made with another key than the dpop_jkt of the authorization request.");
        }

        UserRecord? user = await users.FindByIdAsync(code.UserId, cancellationToken).ConfigureAwait(false);
        // A code issued just before an administrator disabled the account would otherwise start a
        // new session (and refresh token) after the disable ended every other one.
        if (user is null || user.DisabledAt is not null)
        {
            return Refused("The user who approved this code no longer exists or is disabled.");
        }

        IReadOnlyList<string> scope = Scopes.Parse(code.Scope) ?? [];
        bool openId = scope.Contains(Scopes.OpenId, StringComparer.Ordinal);
        if (openId && !tokens.Options.IdTokenSigningAlgorithms.Contains(client.IdTokenSignedResponseAlg, StringComparer.Ordinal))
        {
            // Checked before the session exists: nobody would hold it.
            return Outcome.Failure<GrantedTokens>(TesseraErrorCodes.IdTokenAlgorithmUnavailable, $"This client's id_token_signed_response_alg {client.IdTokenSignedResponseAlg} is not one this server signs with.");
        }

        bool offline = scope.Contains(Scopes.OfflineAccess, StringComparer.Ordinal) && ClientGrants.Allows(client, GrantTypes.RefreshToken);
        var grant = new SessionGrant(client.ClientId, code.Scope, code.AuthenticatedAt);
        // RFC 9449 §5: a public client's refresh token is bound to the proof's key (the session carries it); a confidential client's is not.
        SessionStart? start = request.DpopKeyThumbprint is { } jkt && !client.IsConfidential ? new SessionStart(KeyThumbprint: jkt) : null;
        (IssuedTokens issuedTokens, KeyRingSnapshot keys) = await tokens.IssueForGrantAsync(user.Id, user.Roles, device, grant, handle, offline, issuer, start, request.DpopKeyThumbprint, cancellationToken).ConfigureAwait(false);
        string? idToken = null;
        if (openId)
        {
            Outcome<string> signed = idTokens.Issue(new IdTokenRequest
            {
                Session = issuedTokens.Session,
                User = user,
                Client = client,
                Issuer = issuer,
                AuthTime = code.AuthenticatedAt,
                Scopes = scope,
                Nonce = code.Nonce,
                AccessToken = issuedTokens.AccessToken,
            }, keys);
            if (!signed.Succeeded)
            {
                await tokens.RevokeSessionAsync(issuedTokens.Session.Handle, signed.Error.Code, cancellationToken).ConfigureAwait(false);
                return Outcome.Failure<GrantedTokens>(signed.Error);
            }

            idToken = signed.Value;
        }

        return Outcome.Success(new GrantedTokens(issuedTokens.AccessToken, issuedTokens.ExpiresIn, issuedTokens.Scope)
        {
            RefreshToken = offline ? issuedTokens.RefreshToken : null,
            IdToken = idToken,
            SessionHandle = issuedTokens.Session.Handle,
            KeyThumbprint = issuedTokens.KeyThumbprint,
        });
    }

    /// <summary>What is wrong with redeeming <paramref name="code"/> by this request, or null.</summary>
    private static string? Problem(AuthorizationCode code, AuthorizationCodeRequest request, OAuthClient client, DateTimeOffset now)
    {
        if (now >= code.ExpiresAt)
        {
            return "The authorization code has expired.";
        }

        // RFC 6749 §4.1.3: issued to the authenticated client; the redirect URI identical to the authorization request's.
        if (!string.Equals(code.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            return "The authorization code was issued to another client.";
        }

        if (!string.Equals(code.RedirectUri, request.RedirectUri, StringComparison.Ordinal))
        {
            return "redirect_uri must be exactly the one of the authorization request.";
        }

        // RFC 7636 §4.6: S256 of the verifier equals the challenge (a missing or plain one cannot match).
        return Pkce.Matches(request.CodeVerifier, code.CodeChallenge) ? null : "The code_verifier does not match the code_challenge.";
    }

    private static Outcome<GrantedTokens> Refused(string message) => Outcome.Failure<GrantedTokens>(TesseraErrorCodes.InvalidGrant, message);
}
