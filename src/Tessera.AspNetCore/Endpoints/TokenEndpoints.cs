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
/// Token mode: sign in for tokens, refresh, revoke. The <c>/auth/token…</c> forms take JSON and
/// answer problem+json; the standard forms under <c>/oauth2</c> take form posts and answer in the
/// RFC 6749 §5.2 shape.
/// </summary>
internal static class TokenEndpoints
{
    private const string CookieDelivery = "cookie";

    public static async Task<IResult> SignInAsync(
        CredentialsRequest? request,
        string? delivery,
        HttpContext http,
        PasswordSignIn signIn,
        TokenService tokens,
        AccountSignInLimiter accountLimiter,
        ILogger<AuthEndpointsLog> logger,
        CancellationToken cancellationToken)
    {
        if (delivery is not null && !string.Equals(delivery, CookieDelivery, StringComparison.Ordinal))
        {
            return TesseraProblems.Validation("delivery", "delivery is 'cookie' or absent.");
        }

        (UserRecord? user, IResult? refused) = await AccountEndpoints.CheckCredentialsAsync(request, http, signIn, accountLimiter, logger, cancellationToken).ConfigureAwait(false);
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
        if (presented is null && http.Request.Cookies.TryGetValue(TokenCookies.RefreshTokenCookieName, out presented))
        {
            TokenCookies.Clear(http.Response);
        }

        if (string.IsNullOrEmpty(presented))
        {
            return TesseraProblems.Validation("refresh_token", "The refresh token is required.");
        }

        await RevokeCoreAsync(presented, tokens, logger, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>RFC 6749 §6: <c>grant_type=refresh_token</c>, form-encoded.</summary>
    public static async Task<IResult> OAuthTokenAsync(HttpContext http, TokenService tokens, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        NoStore(http.Response);
        if (!http.Request.HasFormContentType)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "The request must be application/x-www-form-urlencoded.");
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        string? grantType = Single(form, "grant_type");
        if (grantType is null)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "grant_type is required, once.");
        }

        if (!string.Equals(grantType, "refresh_token", StringComparison.Ordinal))
        {
            return OAuthErrors.Result(OAuthErrorCodes.UnsupportedGrantType, "Only grant_type=refresh_token is supported here.");
        }

        string? presented = Single(form, "refresh_token");
        if (presented is null)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "refresh_token is required, once.");
        }

        Outcome<IssuedTokens> refreshed = await RefreshCoreAsync(presented, http, tokens, logger, cancellationToken).ConfigureAwait(false);
        return refreshed.Succeeded
            ? TypedResults.Ok(Body(refreshed.Value, includeTokens: true))
            : OAuthErrors.From(refreshed.Error);
    }

    /// <summary>RFC 7009 §2: revokes a refresh token's session; 200 whether or not the token was valid (§2.2).</summary>
    public static async Task<IResult> OAuthRevokeAsync(HttpContext http, TokenService tokens, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        NoStore(http.Response);
        if (!http.Request.HasFormContentType)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "The request must be application/x-www-form-urlencoded.");
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        string? presented = Single(form, "token");
        if (presented is null)
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "token is required, once.");
        }

        // token_type_hint is optional (§2.1); access tokens are not revocable one by one (their session is).
        await RevokeCoreAsync(presented, tokens, logger, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok();
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

    private static async Task<IResult> AnswerAsync(HttpContext http, IssuedTokens issued, bool inCookies, CancellationToken cancellationToken)
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
        new(includeTokens ? issued.AccessToken : null, "Bearer", (long)issued.ExpiresIn.TotalSeconds, includeTokens ? issued.RefreshToken : null, issued.Session.Handle);

    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static void NoStore(HttpResponse response)
    {
        // RFC 6749 §5.1: token responses must not be cached.
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
