using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;
using Tessera.OAuth;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Provider;

/// <summary>
/// The caller's consents: <c>GET /auth/consents</c> lists the applications and scopes they allowed;
/// <c>DELETE /auth/consents/{clientId}</c> withdraws one and ends the user's sessions of that
/// application, so its refresh and access tokens stop working at once.
/// </summary>
internal static class ConsentEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, [FromServices] IConsentStore consents, [FromServices] IClientStore clients, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        IReadOnlyList<Consent> given = await consents.ListAsync(current.UserId, cancellationToken).ConfigureAwait(false);
        var items = new List<ConsentResponse>(given.Count);
        foreach (Consent consent in given)
        {
            OAuthClient? client = await clients.FindAsync(consent.ClientId, cancellationToken).ConfigureAwait(false);
            items.Add(new ConsentResponse(consent.ClientId, client?.DisplayName, consent.Scopes, consent.GrantedAt));
        }

        return TypedResults.Ok(new ConsentListResponse(items));
    }

    public static async Task<IResult> RevokeAsync(string clientId, HttpContext http, [FromServices] IConsentStore consents, [FromServices] ProviderServices provider, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        bool forgotten = await consents.DeleteAsync(current.UserId, clientId, cancellationToken).ConfigureAwait(false);
        int ended = 0;
        foreach (SessionRecord session in await provider.Sessions.ListAsync(current.UserId, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(session.ClientId, clientId, StringComparison.Ordinal)
                && await provider.Sessions.RevokeAsync(session.Handle, RevocationReasons.ConsentRevoked, cancellationToken).ConfigureAwait(false))
            {
                ended++;
            }
        }

        if (!forgotten && ended == 0)
        {
            return TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.ConsentNotFound, "You have not allowed an application with this client id.");
        }

        ProviderLog.ConsentRevoked(provider.Log, current.UserId, clientId, ended);
        return TypedResults.Ok(new RevokedResponse(ended));
    }
}

/// <summary>One application the user allowed: its id, its name (null when it is no longer registered), the scopes, when.</summary>
public sealed record ConsentResponse(string ClientId, string? ClientName, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

/// <summary>The applications the user allowed.</summary>
/// <param name="Consents">One entry per application.</param>
public sealed record ConsentListResponse(IReadOnlyList<ConsentResponse> Consents);
