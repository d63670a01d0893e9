using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>The caller's sessions: list them, end one, end the others or all.</summary>
internal static class SessionEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, SessionService sessions, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        IReadOnlyList<SessionRecord> active = await sessions.ListAsync(current.UserId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SessionListResponse([.. active.Select(s => SessionResponse.From(s, current.Handle))]));
    }

    public static async Task<IResult> EndOneAsync(string id, HttpContext http, SessionService sessions, IOptionsMonitor<SessionCookieOptions> cookieOptions, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        // Someone else's handle answers exactly like an unknown one.
        if (!await sessions.RevokeOwnAsync(current.UserId, id, RevocationReasons.EndedByUser, cancellationToken).ConfigureAwait(false))
        {
            return TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.SessionNotFound, "You have no active session with this id.");
        }

        AuthEndpointsLog.Revoked(logger, id, RevocationReasons.EndedByUser);
        if (string.Equals(id, current.Handle, StringComparison.Ordinal))
        {
            SessionCookies.Clear(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme));
        }

        return TypedResults.NoContent();
    }

    /// <summary><c>?others=true</c> ends every session but this one ("log out other devices"); without it, all of them.</summary>
    public static async Task<IResult> EndManyAsync(bool? others, HttpContext http, SessionService sessions, IOptionsMonitor<SessionCookieOptions> cookieOptions, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        bool keepCurrent = others == true;
        string reason = keepCurrent ? RevocationReasons.OtherDevicesSignedOut : RevocationReasons.SignedOutEverywhere;
        int count = await sessions.RevokeAllAsync(current.UserId, keepCurrent ? current.Handle : null, reason, cancellationToken).ConfigureAwait(false);
        AuthEndpointsLog.RevokedMany(logger, current.UserId, count, reason);
        if (!keepCurrent)
        {
            SessionCookies.Clear(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme));
        }

        return TypedResults.Ok(new RevokedResponse(count));
    }
}

/// <summary>How many sessions a sign-out of other devices ended.</summary>
/// <param name="Revoked">The number of sessions ended.</param>
public sealed record RevokedResponse(int Revoked);
