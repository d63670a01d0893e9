using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Admin;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.Audit;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// <c>DELETE /auth/me</c>: users delete their own account, re-entering the password. A first-party
/// sign-in only (the group's check: a token issued to an OAuth client cannot delete its user), CSRF-checked
/// like every <c>/auth</c> change. The password goes through <see cref="PasswordCheck"/>, so a stolen
/// session is no better a password oracle here than at sign-in (same limits, counters and lockout).
/// Then the account goes as an admin's delete takes it (<see cref="UserAdministration.DeleteAsync"/>:
/// every session ends, consents go, the name becomes free), the cookies are cleared as at sign-out,
/// and <c>account.deleted</c> is audited with the user as actor.
/// </summary>
internal static class AccountDeletionEndpoint
{
    // As for sign-in: no megabytes fed to Argon2id.
    private const int MaximumPasswordLength = PasswordRules.MaximumLength * 4;

    public static async Task<IResult> DeleteAsync(
        [FromBody] AccountDeletionRequest? request, HttpContext http, IUserStore users, PasswordCheck passwordCheck, UserAdministration administration, IAuditLog audit,
        IOptionsMonitor<SessionCookieOptions> cookieOptions, IOptionsMonitor<Passkeys.TesseraPasskeyOptions> passkeyOptions, TimeProvider time, ILogger<AuthEndpointsLog> logger, CancellationToken cancellationToken)
    {
        SessionRecord session = AccountEndpoints.CurrentSession(http);
        UserRecord? user = await users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        // #16: a passwordless account confirms with a recent passkey sign-in instead of a password.
        bool passwordless = user is { HasPassword: false };
        if (!passwordless && (string.IsNullOrEmpty(request?.Password) || request.Password.Length > MaximumPasswordLength))
        {
            return TesseraProblems.Validation("password", "Enter your password to delete your account.");
        }

        if (user is null)
        {
            return TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.Unauthenticated, "The account of this session no longer exists.");
        }

        if (passwordless && !Passkeys.PasswordlessRules.IsRecentPasskeySignIn(session, Clock.Now(time), passkeyOptions.CurrentValue.RecentSignIn))
        {
            return TesseraProblems.Problem(StatusCodes.Status403Forbidden, TesseraErrorCodes.RecentPasskeySignInRequired,
                "This account has no password: sign in with a passkey again, then delete the account within a few minutes.");
        }

        PasswordCheckResult confirmed = passwordless ? new PasswordCheckResult(user, null, null)
            : await passwordCheck.ConfirmAsync(http, user, request!.Password!, cancellationToken).ConfigureAwait(false);
        if (confirmed.User is null)
        {
            AuthEndpointsLog.SignInRefused(logger, confirmed.Error!.Code);
            return string.Equals(confirmed.Error.Code, TesseraErrorCodes.InvalidCredentials, StringComparison.Ordinal)
                ? TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidCredentials, "The password is wrong.")
                : confirmed.Problem(http.Response);
        }

        await administration.DeleteAsync(user.Id, cancellationToken).ConfigureAwait(false);
        await AdminAuditTrail.TryAppendAsync(audit, new AuditEvent
        {
            At = Clock.Now(time),
            Type = AuditEventTypes.AccountDeleted,
            ActorId = user.Id,
            UserId = user.Id,
            SessionId = session.Handle,
            Address = AdminAuditTrail.Address(http),
            Outcome = "ok",
            Detail = "by the user",
        }, logger).ConfigureAwait(false);

        SessionCookies.Clear(http.Response, cookieOptions.Get(SessionCookieDefaults.AuthenticationScheme));
        SignOutResponse.ClearBrowser(http);
        return TypedResults.NoContent();
    }
}

/// <summary><c>{"password": "..."}</c>: the account's current password, re-entered to delete it.</summary>
/// <param name="Password">The current password.</param>
public sealed record AccountDeletionRequest(string? Password)
{
    // Records print their members; a password must never reach a log through ToString.
    /// <inheritdoc/>
    public override string ToString() => "AccountDeletionRequest { Password = *** }";
}
