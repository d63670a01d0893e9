using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Dpop;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.RateLimiting;
using Tessera.AspNetCore.Tokens;
using Tessera.Sessions;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// Token mode: sign in for tokens, refresh, revoke, as JSON answering problem+json. The standard
/// forms under <c>/oauth2</c> are <see cref="OAuthTokenEndpoint"/> and <see cref="OAuthRevocationEndpoint"/>.
/// A request with a valid DPoP proof (RFC 9449 §5) gets a session bound to the proof's key: access
/// tokens with <c>cnf.jkt</c>, <c>token_type</c> DPoP, and a refresh token that needs a proof by that key.
/// </summary>
internal static class TokenEndpoints
{
    private const string CookieDelivery = "cookie";

    public static async Task<IResult> SignInAsync(
        CredentialsRequest? request,
        string? delivery,
        HttpContext http,
        PasswordCheck passwordCheck,
        TokenService tokens,
        ILogger<AuthEndpointsLog> logger,
        CancellationToken cancellationToken)
    {
        if (delivery is not null && !string.Equals(delivery, CookieDelivery, StringComparison.Ordinal))
        {
            return TesseraProblems.Validation("delivery", "delivery is 'cookie' or absent.");
        }

        // The proof first: a bad one costs no password hash (RFC 9449 §5).
        DpopTokenProof dpop = DpopTokenProof.Read(http, cancellationToken);
        if (RefuseProof(dpop, delivery is not null) is { } badProof)
        {
            return badProof;
        }

        (UserRecord? user, IResult? refused) = await AccountEndpoints.CheckCredentialsAsync(request, http, passwordCheck, logger, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return refused!;
        }

        return await IssueSignInAsync(http, tokens, user.Id, authenticationMethods: null, dpop, delivery is not null, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The end of every token sign-in (password here; passkeys and any other method the same way):
    /// starts the session — bound to the key of <paramref name="dpop"/> when the request carried a
    /// valid proof (read first with <see cref="DpopTokenProof.Read"/>) — and answers with the
    /// tokens (<c>token_type</c> DPoP or Bearer), in the body or in cookies.
    /// <paramref name="authenticationMethods"/>: the session's RFC 8176 <c>amr</c> (null: password).
    /// </summary>
    internal static async Task<IResult> IssueSignInAsync(HttpContext http, TokenService tokens, string userId, string? authenticationMethods, DpopTokenProof dpop, bool inCookies, ILogger logger, CancellationToken cancellationToken)
    {
        if (RefuseProof(dpop, inCookies) is { } badProof)
        {
            return badProof;
        }

        // Recorded only now, the user signed in: a refused sign-in takes no single-use mark (RFC 9449 §11.1).
        if (await dpop.UseAsync(http, cancellationToken).ConfigureAwait(false) is { } replayed)
        {
            return TesseraProblems.Problem(StatusCodes.Status400BadRequest, replayed.Code, replayed.Message);
        }

        SessionStart? start = authenticationMethods is null && dpop.KeyThumbprint is null ? null : new SessionStart(authenticationMethods, dpop.KeyThumbprint);
        IssuedTokens issued = await tokens.IssueAsync(userId, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), start, cancellationToken).ConfigureAwait(false);
        AuthEndpointsLog.TokensIssued(logger, userId, issued.Session.Handle);
        if (issued.KeyThumbprint is { } bound)
        {
            DpopTokenLog.Bound(logger, issued.Session.Handle, bound);
        }

        return await AnswerAsync(http, issued, inCookies, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A refused proof as problem+json; and a proof with <c>delivery=cookie</c>: a DPoP-bound token in an
    /// HttpOnly cookie could never be used, since every request needs a proof whose <c>ath</c> is the
    /// token's hash (RFC 9449 §4.2, §7), which the page cannot read.
    /// </summary>
    internal static IResult? RefuseProof(DpopTokenProof dpop, bool inCookies) =>
        dpop.Error is not null ? dpop.ToProblem()
        : dpop.Proof is not null && inCookies ? TesseraProblems.Validation("delivery", "delivery=cookie cannot be combined with a DPoP proof: a DPoP-bound token must be readable by the client, whose proofs carry its hash (ath).")
        : null;

    public static async Task<IResult> RefreshAsync(RefreshTokenRequest? request, HttpContext http, TokenService tokens, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        string? presented = request?.RefreshToken;
        bool fromCookie = presented is null && http.Request.Cookies.TryGetValue(TokenCookies.RefreshTokenCookieName, out presented);
        DpopTokenProof dpop = DpopTokenProof.Read(http, cancellationToken);
        if (RefuseProof(dpop, fromCookie) is { } badProof)
        {
            return badProof;
        }

        var proofUse = new DpopRefreshProofUse(dpop, http);
        Outcome<IssuedTokens> refreshed = await RefreshCoreAsync(presented, http, tokens, RefreshRequest.FirstParty with { DpopKeyThumbprint = dpop.KeyThumbprint, UseProof = proofUse.Callback }, proofUse, logger, cancellationToken).ConfigureAwait(false);
        if (!refreshed.Succeeded)
        {
            if (fromCookie)
            {
                TokenCookies.Clear(http.Response);
            }

            return TesseraProblems.From(refreshed.Error);
        }

        return await AnswerAsync(http, refreshed.Value, fromCookie, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IResult> RevokeAsync(RefreshTokenRequest? request, HttpContext http, TokenService tokens, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        string? presented = request?.RefreshToken;
        bool fromCookie = presented is null && http.Request.Cookies.TryGetValue(TokenCookies.RefreshTokenCookieName, out presented);
        if (string.IsNullOrEmpty(presented))
        {
            if (fromCookie)
            {
                TokenCookies.Clear(http.Response);
            }

            return TesseraProblems.Validation("refresh_token", "The refresh token is required.");
        }

        await RevokeCoreAsync(presented, tokens, logger, cancellationToken).ConfigureAwait(false);
        SignOutResponse.ClearBrowser(http);
        return TypedResults.NoContent();
    }

    private static async Task<Outcome<IssuedTokens>> RefreshCoreAsync(string? presented, HttpContext http, TokenService tokens, RefreshRequest refresh, DpopRefreshProofUse proofUse, ILogger logger, CancellationToken cancellationToken)
    {
        Outcome<IssuedTokens> refreshed = await tokens.RefreshAsync(presented, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), refresh, cancellationToken).ConfigureAwait(false);
        if (refreshed.Succeeded)
        {
            AuthEndpointsLog.Refreshed(logger, refreshed.Value.Session.Handle);
        }
        else if (refreshed.Error.Code == TesseraErrorCodes.RefreshTokenReused)
        {
            AuthEndpointsLog.RefreshTokenReused(logger);
        }
        else
        {
            AuthEndpointsLog.RefreshRefused(logger, refreshed.Error.Code);
            if (proofUse.IsBindingRefusal(refreshed.Error))
            {
                // A spent proof (a replayed request) was logged as a refused proof already: not a binding refusal.
                DpopTokenLog.BoundRefreshRefused(logger, refreshed.Error.Message);
            }
        }

        return refreshed;
    }

    private static async Task RevokeCoreAsync(string presented, TokenService tokens, ILogger logger, CancellationToken cancellationToken)
    {
        if (await tokens.RevokeAsync(presented, cancellationToken).ConfigureAwait(false))
        {
            AuthEndpointsLog.Revoked(logger, "(by refresh token)", RevocationReasons.SignedOut);
        }
    }

    // internal: the passkey token sign-in (POST /auth/token/passkey) answers exactly as this one.
    /// <summary>The token response for <paramref name="issued"/>: JSON with the tokens, or the tokens in cookies and the rest in JSON.</summary>
    internal static async Task<IResult> AnswerAsync(HttpContext http, IssuedTokens issued, bool inCookies, CancellationToken cancellationToken)
    {
        if (!inCookies)
        {
            return TypedResults.Ok(Body(issued, includeTokens: true));
        }

        TimeSpan refreshLifetime = issued.Session.AbsoluteExpiresAt - Clock.Now(http.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System);
        if (!TokenCookies.TryWrite(http.Response, issued.AccessToken, issued.ExpiresIn, issued.RefreshToken, refreshLifetime))
        {
            // Nobody will ever hold these tokens: end their session rather than leave it in the device list.
            await http.RequestServices.GetRequiredService<SessionService>().RevokeAsync(issued.Session.Handle, TesseraErrorCodes.CookieTooLarge, cancellationToken).ConfigureAwait(false);
            return CookieBudget.TooLarge("The tokens would not fit in the 4096 bytes a browser keeps per cookie; ask for them in the response body (no delivery=cookie).");
        }

        return TypedResults.Ok(Body(issued, includeTokens: false));
    }

    private static TokenResponse Body(IssuedTokens issued, bool includeTokens) =>
        new(includeTokens ? issued.AccessToken : null, issued.TokenType, (long)issued.ExpiresIn.TotalSeconds, includeTokens ? issued.RefreshToken : null, issued.Session.Handle) { Scope = issued.Scope };
}
