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

    /// <inheritdoc />
    protected override string ForbiddenDetail => "This session may not do that.";

    /// <inheritdoc />
    protected override string EventRefusalCode => RefusalByEvent;

    /// <summary>The code of a session an event refused (it left no principal).</summary>
    internal const string RefusalByEvent = TesseraErrorCodes.Unauthenticated;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> AuthenticateCredentialAsync() =>
        await SessionCookieAuthentication.AuthenticateAsync(Context, Scheme, Options, (SessionCookieEvents)Events!, sessions, _log).ConfigureAwait(false);

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
