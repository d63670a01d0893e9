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
    /// <remarks>
    /// An accepted cookie whose store answered synchronously (the memory store, a near cache's hit),
    /// with no <see cref="SessionCookieEvents.OnSessionValidated"/> handler, starts no async state
    /// machine: this runs on every cookie request (#13). Anything that has to wait, and an
    /// application's handler, continues asynchronously, the same steps.
    /// </remarks>
    public static ValueTask<AuthenticateResult> AuthenticateAsync(
        HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, SessionService sessions, ILogger log)
    {
        try
        {
            ValueTask<AuthenticateResult> result = Check(context, scheme, options, events, sessions, log);
            return result.IsCompletedSuccessfully ? result : WhenCheckedAsync(result, log);
        }
        catch (StoreUnavailableException ex)
        {
            return new(StoreUnavailable(log, ex));
        }
    }

    private static async ValueTask<AuthenticateResult> WhenCheckedAsync(ValueTask<AuthenticateResult> checking, ILogger log)
    {
        try
        {
            return await checking.ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreUnavailable(log, ex);
        }
    }

    private static AuthenticateResult StoreUnavailable(ILogger log, StoreUnavailableException ex)
    {
        SessionCookieLog.StoreUnavailable(log, ex);
        return SessionAuthenticationResults.StoreUnavailable;
    }

    private static ValueTask<AuthenticateResult> Check(
        HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, SessionService sessions, ILogger log)
    {
        string? secret = context.Request.Cookies[options.CookieName];
        if (string.IsNullOrEmpty(secret))
        {
            return new(AuthenticateResult.NoResult());
        }

        ValueTask<SessionValidation> validating = sessions.ValidateAsync(secret, ClientInfo.From(context), context.RequestAborted);
        return validating.IsCompletedSuccessfully
            ? Decide(validating.Result, context, scheme, options, events, log)
            : DecideWhenValidatedAsync(validating, context, scheme, options, events, log);
    }

    private static async ValueTask<AuthenticateResult> DecideWhenValidatedAsync(
        ValueTask<SessionValidation> validating, HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, ILogger log) =>
        await Decide(await validating.ConfigureAwait(false), context, scheme, options, events, log).ConfigureAwait(false);

    private static ValueTask<AuthenticateResult> Decide(
        SessionValidation validation, HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, ILogger log)
    {
        if (!validation.Succeeded)
        {
            return RejectAsync(validation, context, scheme, options, events, log);
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
        return events.ValidatedDoesNothing ? new(Accepted(validated, session, log)) : AcceptWhenRaisedAsync(events, validated, session, log);
    }

    private static async ValueTask<AuthenticateResult> AcceptWhenRaisedAsync(SessionCookieEvents events, SessionValidatedContext validated, SessionRecord session, ILogger log)
    {
        await events.SessionValidated(validated).ConfigureAwait(false);
        return Accepted(validated, session, log);
    }

    private static AuthenticateResult Accepted(SessionValidatedContext validated, SessionRecord session, ILogger log)
    {
        AuthenticateResult result = SessionAuthenticationResults.Accept(validated, session, SessionCookieHandler.RefusalByEvent);
        if (result.Succeeded)
        {
            SessionCookieLog.Authenticated(log, session.Handle);
        }

        return result;
    }

    private static async ValueTask<AuthenticateResult> RejectAsync(
        SessionValidation validation, HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionCookieEvents events, ILogger log)
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
}
