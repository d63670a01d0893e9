using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// Authenticates a request by its session cookie: hash the secret, look the session up, check it
/// (revoked, expired, binding) and touch it; the claims carry the user (<c>sub</c>) and the session
/// handle (<c>sid</c>). A challenge is a 401 problem+json naming why (written by
/// <see cref="TesseraAuthenticationHandler{TOptions}"/>), with the <c>Cookie</c> challenge, and
/// clears a refused cookie.
/// </summary>
public sealed class SessionCookieHandler(
    IOptionsMonitor<SessionCookieOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionService sessions,
    IProblemDetailsService problems)
    : TesseraAuthenticationHandler<SessionCookieOptions>(options, loggerFactory, encoder, problems)
{
    // The base class logs every challenge at Information under the handler's own category; our
    // messages get a category of their own so hosts can keep them and quiet the base ones.
    private readonly ILogger _log = HandlerLoggers.For(loggerFactory, SessionCookieLog.Category);

    private new SessionCookieEvents Events => (SessionCookieEvents)base.Events!;

    /// <inheritdoc />
    protected override string ForbiddenDetail => "This session may not do that.";

    /// <inheritdoc />
    protected override string EventRefusalCode => TesseraErrorCodes.Unauthenticated;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> AuthenticateCredentialAsync()
    {
        string? secret = Request.Cookies[Options.CookieName];
        if (string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        SessionValidation validation = await sessions.ValidateAsync(secret, ClientInfo.From(Context), Context.RequestAborted).ConfigureAwait(false);
        if (!validation.Succeeded)
        {
            TesseraError error = validation.Error!;
            SessionCookieLog.Rejected(_log, error.Code, validation.Session?.Handle ?? "-");
            if (validation.UnknownSession)
            {
                SuspiciousSessionLog.UnknownCookie(_log, Context);
            }

            await Events.SessionRejected(new SessionRejectedContext(Context, Scheme, Options, error)).ConfigureAwait(false);
            return Failure(error);
        }

        SessionRecord session = validation.Session!;
        if (validation.BindingMismatch)
        {
            SessionCookieLog.BindingMismatch(_log, session.Handle, RevocationReasons.BindingMismatch);
        }

        var context = new SessionValidatedContext(Context, Scheme, Options, session) { Principal = PrincipalOf(session) };
        await Events.SessionValidated(context).ConfigureAwait(false);
        AuthenticateResult result = Accept(context, session);
        if (result.Succeeded)
        {
            SessionCookieLog.Authenticated(_log, session.Handle);
        }

        return result;
    }

    /// <inheritdoc />
    protected override void LogStoreUnavailable(Exception exception) => SessionCookieLog.StoreUnavailable(_log, exception);

    /// <inheritdoc />
    protected override void AddChallenge(AuthenticateResult result, TesseraError? refusal, TesseraErrorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (refusal is not null && !entry.IsServerSide)
        {
            // The browser should stop sending a cookie that will never work again; a store outage says nothing about the cookie.
            SessionCookies.Clear(Response, Options);
        }

        if (entry.Status == StatusCodes.Status401Unauthorized)
        {
            SessionCookieChallenge.Add(Context);
        }
    }
}
