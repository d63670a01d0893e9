using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.AspNetCore.Authentication;

/// <summary>
/// How the session cookie authenticates one request, apart from any handler instance: hash the
/// secret, look the session up, check it (revoked, expired, binding) and touch it, then the
/// principal and <see cref="SessionCookieEvents"/>. <see cref="SessionCookieHandler"/> runs it, and
/// so does <c>UseTesseraAuthentication()</c>'s fast path without making a handler (see
/// <c>DirectAuthentication</c>): one code, the same events. A store that does not answer is
/// <see cref="SessionAuthenticationResults.StoreUnavailable"/> (503: the outage says nothing about the cookie).
/// </summary>
internal static class SessionCookieAuthentication
{
    /// <summary>No result without a cookie; a refusal, or the accepted session's principal.</summary>
    public static async ValueTask<AuthenticateResult> AuthenticateAsync(
        HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, SessionService sessions, ILogger log)
    {
        try
        {
            return await CheckAsync(context, scheme, options, events, sessions, log).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            SessionCookieLog.StoreUnavailable(log, ex);
            return SessionAuthenticationResults.StoreUnavailable;
        }
    }

    private static async ValueTask<AuthenticateResult> CheckAsync(
        HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, SessionService sessions, ILogger log)
    {
        string? secret = context.Request.Cookies[options.CookieName];
        if (string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        SessionValidation validation = await sessions.ValidateAsync(secret, ClientInfo.From(context), context.RequestAborted).ConfigureAwait(false);
        if (!validation.Succeeded)
        {
            TesseraError error = validation.Error!;
            SessionCookieLog.Rejected(log, error.Code, validation.Session?.Handle ?? "-");
            if (validation.UnknownSession)
            {
                SuspiciousSessionLog.UnknownCookie(log, context);
            }

            await events.SessionRejected(new SessionRejectedContext(context, scheme, options, error)).ConfigureAwait(false);
            return SessionAuthenticationResults.Failure(error);
        }

        SessionRecord session = validation.Session!;
        if (validation.BindingMismatch)
        {
            SessionCookieLog.BindingMismatch(log, session.Handle, RevocationReasons.BindingMismatch);
        }

        var validated = new SessionValidatedContext(context, scheme, options, session)
        {
            Principal = SessionAuthenticationResults.PrincipalOf(scheme.Name, session, []),
        };
        await events.SessionValidated(validated).ConfigureAwait(false);
        AuthenticateResult result = SessionAuthenticationResults.Accept(validated, session, SessionCookieHandler.RefusalByEvent);
        if (result.Succeeded)
        {
            SessionCookieLog.Authenticated(log, session.Handle);
        }

        return result;
    }
}
