using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// Authenticates a request by its session cookie: hash the secret, look the session up, check it
/// (revoked, expired, binding) and touch it; the claims carry the user (<c>sub</c>) and the session
/// handle (<c>sid</c>). A challenge is a 401 problem+json naming why, and clears a refused cookie.
/// </summary>
public sealed class SessionCookieHandler(
    IOptionsMonitor<SessionCookieOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionService sessions,
    IProblemDetailsService problems)
    : AuthenticationHandler<SessionCookieOptions>(options, loggerFactory, encoder)
{
    private const string ErrorCodeItem = "tessera.error";
    private const string ErrorDetailItem = "tessera.detail";
    private const string CookiePresentedItem = "tessera.cookie";

    // The base class logs every challenge at Information under the handler's own category; our
    // messages get a category of their own so hosts can keep them and quiet the base ones.
    private readonly ILogger _log = loggerFactory.CreateLogger(SessionCookieLog.Category);

    private static readonly AuthenticateResult StoreUnavailable = Failure(new TesseraError(TesseraErrorCodes.StoreUnavailable, "The session store did not answer."), cookiePresented: false);

    private new SessionCookieEvents Events => (SessionCookieEvents)base.Events!;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? secret = Request.Cookies[Options.CookieName];
        if (string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        SessionValidation validation;
        try
        {
            validation = await sessions.ValidateAsync(secret, ClientInfo.From(Context), Context.RequestAborted).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            SessionCookieLog.StoreUnavailable(_log, ex);
            return StoreUnavailable;
        }

        if (!validation.Succeeded)
        {
            TesseraError error = validation.Error!;
            SessionCookieLog.Rejected(_log, error.Code, validation.Session?.Handle ?? "-");
            await Events.SessionRejected(new SessionRejectedContext(Context, Scheme, Options, error)).ConfigureAwait(false);
            return Failure(error, cookiePresented: true);
        }

        SessionRecord session = validation.Session!;
        if (validation.BindingMismatch)
        {
            SessionCookieLog.BindingMismatch(_log, session.Handle, RevocationReasons.BindingMismatch);
        }

        var identity = new ClaimsIdentity(
            [new Claim(TesseraClaimTypes.Subject, session.UserId), new Claim(TesseraClaimTypes.SessionId, session.Handle)],
            Scheme.Name, TesseraClaimTypes.Subject, ClaimTypes.Role);
        var context = new SessionValidatedContext(Context, Scheme, Options, session) { Principal = new ClaimsPrincipal(identity) };
        await Events.SessionValidated(context).ConfigureAwait(false);
        if (context.Result is { } decided)
        {
            return decided;
        }

        Context.Features.Set(new TesseraSessionFeature(session));
        SessionCookieLog.Authenticated(_log, session.Handle);
        return AuthenticateResult.Success(new AuthenticationTicket(context.Principal!, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        IDictionary<string, string?> items = result.Properties?.Items ?? new Dictionary<string, string?>();
        string code = items.TryGetValue(ErrorCodeItem, out string? c) && c is not null ? c : TesseraErrorCodes.Unauthenticated;
        string detail = items.TryGetValue(ErrorDetailItem, out string? d) && d is not null ? d : "Sign in to continue.";

        if (items.ContainsKey(CookiePresentedItem))
        {
            // The browser should stop sending a cookie that will never work again.
            SessionCookies.Clear(Response, Options.CookieName);
        }

        await WriteProblemAsync(TesseraProblems.StatusFor(code), code, detail).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, HttpErrorCodes.Forbidden, "This session may not do that.");

    private async Task WriteProblemAsync(int status, string code, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = TesseraProblems.Details(status, code, detail),
        }).ConfigureAwait(false);
    }

    private static AuthenticateResult Failure(TesseraError error, bool cookiePresented)
    {
        var properties = new AuthenticationProperties();
        properties.Items[ErrorCodeItem] = error.Code;
        properties.Items[ErrorDetailItem] = error.Message;
        if (cookiePresented)
        {
            properties.Items[CookiePresentedItem] = "1";
        }

        return AuthenticateResult.Fail(error.Message, properties);
    }
}
