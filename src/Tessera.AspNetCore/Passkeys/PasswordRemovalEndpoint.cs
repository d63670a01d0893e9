using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.Passkeys;
using Tessera.Sessions;
using Tessera.Telemetry;
using Tessera.Users;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// <c>DELETE /auth/password</c>: the account becomes passwordless. Only with at least one passkey (so
/// it keeps a way in) and the current password confirmed through <see cref="PasswordCheck"/> (the
/// limits, counters and lockout of <c>POST /auth/password</c>). The hash becomes
/// <see cref="UserRecord.NoPassword"/>, and every other session ends as after a password change.
/// </summary>
internal static class PasswordRemovalEndpoint
{
    private const int MaximumPasswordLength = PasswordRules.MaximumLength * 4;

    public static async Task<IResult> DeleteAsync(
        [FromBody] PasswordRemovalRequest? request, HttpContext http, IUserStore users, IPasskeyStore passkeys, PasswordCheck passwordCheck,
        SessionService sessions, SecurityEvents events, ILogger<PasskeyCeremonies> logger, CancellationToken cancellationToken)
    {
        SessionRecord session = AccountEndpoints.CurrentSession(http);
        if (string.IsNullOrEmpty(request?.CurrentPassword) || request.CurrentPassword.Length > MaximumPasswordLength)
        {
            return TesseraProblems.Validation("currentPassword", "The current password is required.");
        }

        if (await users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.Unauthenticated, "The account of this session no longer exists.");
        }

        if (!user.HasPassword)
        {
            return TesseraProblems.Problem(StatusCodes.Status409Conflict, TesseraErrorCodes.PasswordNotSet, "This account has no password.");
        }

        if ((await passkeys.ListAsync(user.Id, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return TesseraProblems.Problem(StatusCodes.Status409Conflict, TesseraErrorCodes.PasskeyRequired, "Register a passkey before removing the password: the account needs a way in.");
        }

        PasswordCheckResult confirmed = await passwordCheck.ConfirmAsync(http, user, request.CurrentPassword, cancellationToken).ConfigureAwait(false);
        if (confirmed.User is null)
        {
            return string.Equals(confirmed.Error!.Code, TesseraErrorCodes.InvalidCredentials, StringComparison.Ordinal)
                ? TesseraProblems.Problem(StatusCodes.Status401Unauthorized, TesseraErrorCodes.InvalidCredentials, "The current password is wrong.")
                : confirmed.Problem(http.Response);
        }

        await users.UpdatePasswordHashAsync(user.Id, UserRecord.NoPassword, cancellationToken).ConfigureAwait(false);
        await events.PasskeyEventAsync(PasskeyAuditEventTypes.PasswordRemoved, user.Id, user.Id, credentialId: null, session.Handle).ConfigureAwait(false);
        // As after a password change: a session that knew the old password is no proof of anything now.
        int count = await sessions.RevokeAllAsync(user.Id, session.Handle, RevocationReasons.PasswordChanged, cancellationToken).ConfigureAwait(false);
        PasskeyLog.PasswordRemoved(logger, user.Id, count);
        return TypedResults.Ok(new RevokedResponse(count));
    }
}
