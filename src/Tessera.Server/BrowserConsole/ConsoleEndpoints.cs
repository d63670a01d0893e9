using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.Server.BrowserConsole;

/// <summary>
/// The little the console needs that the auth API does not say: the lifetimes it counts down with,
/// and a way to act out a stolen refresh cookie that script, by design, cannot copy.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string SettingsPath = "/console/settings";
    public const string AccessTokenPath = "/console/access-token";

    // Under the refresh cookie's path (/auth/token), or the browser would not send the cookie.
    public const string TheftPath = "/auth/token/simulate-theft";

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapGet(SettingsPath, Settings).AllowAnonymous();
        app.MapGet(AccessTokenPath, AccessTokenClaims).RequireAuthorization();
        app.MapPost(TheftPath, SimulateTheftAsync).AllowAnonymous().RequireCsrfProtection();
        return app;
    }

    /// <summary>Public lifetimes only (the same for every user); no key, secret or per-user data.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.Ok<ConsoleSettingsResponse> Settings(IOptions<TesseraSessionOptions> sessions, IOptions<TesseraTokenOptions> tokens) =>
        TypedResults.Ok(new ConsoleSettingsResponse(
            sessions.Value.IdleTimeout.TotalSeconds,
            sessions.Value.AbsoluteTimeout.TotalSeconds,
            sessions.Value.TouchInterval.TotalSeconds,
            tokens.Value.AccessTokenLifetime.TotalSeconds,
            tokens.Value.ReuseGraceWindow.TotalSeconds,
            tokens.Value.Algorithm));

    /// <summary>
    /// The header and payload of the access-token cookie, for the console's token debugger in
    /// cookie mode, where script cannot read the cookie. Not the signature: without it the parts
    /// are no credential, so this gives script nothing it could present.
    /// </summary>
    private static IResult AccessTokenClaims(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        // The request passed authorization, so a cookie here is a valid access token of ours.
        string? token = http.Request.Cookies[IssuedBearerDefaults.AccessTokenCookieName];
        if (string.IsNullOrEmpty(token) || http.Request.Headers.Authorization.Count > 0)
        {
            return TesseraProblems.Problem(StatusCodes.Status404NotFound, HttpErrorCodes.NotFound, "This request did not carry an access-token cookie.");
        }

        string[] parts = token.Split('.');
        return TypedResults.Ok(new AccessTokenPartsResponse(Decode(parts[0]), Decode(parts[1]), Base64Url.DecodeFromChars(parts[2]).Length));
    }

    private static JsonElement Decode(string part) => JsonDocument.Parse(Base64Url.DecodeFromChars(part)).RootElement.Clone();

    /// <summary>
    /// "A thief copied the refresh cookie and used it first": refreshes with the browser's refresh
    /// cookie and throws the new pair away, leaving the cookie holding a used-up token. The next
    /// refresh the page makes (after the grace window) is reuse, and the session is revoked. It
    /// grants nothing the cookie's holder could not do with <c>/auth/token/refresh</c>; it can
    /// only end their own session.
    /// </summary>
    private static async Task<IResult> SimulateTheftAsync(HttpContext http, TokenService tokens, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.Cookies.TryGetValue(TokenCookies.RefreshTokenCookieName, out string? stolen) || string.IsNullOrEmpty(stolen))
        {
            return TesseraProblems.Validation("refresh_token", "There is no refresh cookie to steal: sign in with tokens in cookies first.");
        }

        Outcome<IssuedTokens> used = await tokens.RefreshAsync(stolen, ClientInfo.From(http), TokenIssuer.For(http.Request, tokens.Options), cancellationToken);
        return used.Succeeded
            ? TypedResults.Ok(new TheftResponse(used.Value.Session.Handle, "The thief's copy was used first: your refresh cookie now holds a used-up token."))
            : TesseraProblems.From(used.Error);
    }
}

internal sealed record ConsoleSettingsResponse(
    double SessionIdleTimeoutSeconds,
    double SessionAbsoluteTimeoutSeconds,
    double SessionTouchIntervalSeconds,
    double AccessTokenLifetimeSeconds,
    double ReuseGraceWindowSeconds,
    string TokenAlgorithm);

internal sealed record AccessTokenPartsResponse(JsonElement Header, JsonElement Payload, int SignatureBytes);

internal sealed record TheftResponse(string SessionId, string Detail);
