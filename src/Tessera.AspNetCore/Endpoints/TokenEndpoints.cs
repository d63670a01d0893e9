using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

        (UserRecord? user, IResult? refused) = await AccountEndpoints.CheckCredentialsAsync(request, http, passwordCheck, logger, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return refused!;
        }

        IssuedTokens issued = await tokens.IssueAsync(user.Id, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), cancellationToken).ConfigureAwait(false);
        AuthEndpointsLog.TokensIssued(logger, user.Id, issued.Session.Handle);
        return await AnswerAsync(http, issued, delivery is not null, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IResult> RefreshAsync(RefreshTokenRequest? request, HttpContext http, TokenService tokens, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        string? presented = request?.RefreshToken;
        bool fromCookie = presented is null && http.Request.Cookies.TryGetValue(TokenCookies.RefreshTokenCookieName, out presented);
        Outcome<IssuedTokens> refreshed = await RefreshCoreAsync(presented, http, tokens, logger, cancellationToken).ConfigureAwait(false);
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

    private static async Task<Outcome<IssuedTokens>> RefreshCoreAsync(string? presented, HttpContext http, TokenService tokens, ILogger logger, CancellationToken cancellationToken)
    {
        Outcome<IssuedTokens> refreshed = await tokens.RefreshAsync(presented, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), cancellationToken).ConfigureAwait(false);
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
        new(includeTokens ? issued.AccessToken : null, "Bearer", (long)issued.ExpiresIn.TotalSeconds, includeTokens ? issued.RefreshToken : null, issued.Session.Handle) { Scope = issued.Scope };
}
