using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Admin;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.Passkeys;
using Tessera.Telemetry;
using Tessera.Users;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// <c>GET /admin/users/{id}/passkeys</c> and <c>DELETE /admin/users/{id}/passkeys/{credentialId}</c>:
/// an administrator sees and removes a user's passkeys (a lost or stolen authenticator). Audited by
/// the admin filter like every admin action, and the removal also as <c>passkey.removed</c> with the
/// admin as actor. An admin may remove the last passkey of a passwordless account: the account then
/// has no way in until an administrator acts again, which is the point when the key is compromised.
/// </summary>
internal static class AdminPasskeyEndpoints
{
    public static async Task<IResult> ListAsync(string id, IUserStore users, IPasskeyStore passkeys, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return AdminProblems.UserNotFound(id);
        }

        IReadOnlyList<PasskeyCredential> listed = await passkeys.ListAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PasskeyListResponse([.. listed.Select(PasskeyResponse.From)]));
    }

    public static async Task<IResult> DeleteAsync(string id, string credentialId, HttpContext http, IUserStore users, IPasskeyStore passkeys, SecurityEvents events, ILogger<PasskeyCeremonies> logger, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return AdminProblems.UserNotFound(id);
        }

        if (!await passkeys.DeleteAsync(id, credentialId, cancellationToken).ConfigureAwait(false))
        {
            return TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.PasskeyNotFound, "This user has no passkey with this id.");
        }

        string admin = http.GetTesseraSession()?.UserId ?? "unknown";
        PasskeyLog.Removed(logger, id, credentialId, admin);
        await events.PasskeyEventAsync(PasskeyAuditEventTypes.Removed, id, admin, credentialId, http.GetTesseraSession()?.Handle).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
