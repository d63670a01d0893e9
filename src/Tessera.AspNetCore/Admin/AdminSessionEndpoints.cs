using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>A user's sessions: list them, end one, end all (<see cref="RevocationReasons.EndedByAdmin"/>).</summary>
internal static class AdminSessionEndpoints
{
    public static async Task<IResult> ListAsync(string id, HttpContext http, UserAdministration administration, CancellationToken cancellationToken)
    {
        Outcome<IReadOnlyList<SessionRecord>> listed = await administration.ListSessionsAsync(id, cancellationToken).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return AdminProblems.UserNotFound(id);
        }

        string? adminSession = http.GetTesseraSession()?.Handle;
        return TypedResults.Ok(new AdminSessionListResponse([.. listed.Value.Select(s => SessionResponse.From(s, adminSession))]));
    }

    /// <summary>Ends one active session of the user: its refresh token stops working and its access tokens are refused by <c>sid</c>.</summary>
    public static async Task<IResult> EndOneAsync(string id, string sessionId, IUserStore users, UserAdministration administration, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return AdminProblems.UserNotFound(id);
        }

        TesseraError? error = await administration.EndSessionAsync(id, sessionId, cancellationToken).ConfigureAwait(false);
        return error is null ? TypedResults.NoContent() : TesseraProblems.From(error);
    }

    /// <summary>Ends every session of the user ("sign out everywhere" on their behalf).</summary>
    public static async Task<IResult> EndAllAsync(string id, UserAdministration administration, CancellationToken cancellationToken)
    {
        Outcome<int> ended = await administration.EndAllSessionsAsync(id, cancellationToken).ConfigureAwait(false);
        return ended.Succeeded ? TypedResults.Ok(new AdminEndedResponse(ended.Value)) : AdminProblems.UserNotFound(id);
    }
}
