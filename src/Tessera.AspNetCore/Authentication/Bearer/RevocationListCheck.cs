using Microsoft.Extensions.Logging;
using Tessera.Jose.Jwt;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// The optional revocation check against a list shared with the issuer (the sibling of
/// <see cref="SessionIntrospector"/>, without the call to the issuer): is the token's <c>sid</c>
/// on the list? Nothing is cached, so a revocation counts from the next request on.
/// Fails closed with 503, not 401: the token itself is fine, so the client should retry rather
/// than throw it away and sign in again; and an outage of the list must not let a revoked token
/// through.
/// </summary>
internal sealed class RevocationListCheck(ISessionRevocationList list, TimeSpan timeout, ILogger log)
{
    private static readonly BearerFailure Revoked = new(TesseraErrorCodes.SessionRevoked, "The token's session has ended.");
    private static readonly BearerFailure Unavailable = new(TesseraBearerErrorCodes.RevocationListUnavailable, "The token's session could not be checked; try again shortly.");

    /// <summary>Null when the session is not on the list; else why the token is refused.</summary>
    public async ValueTask<BearerFailure?> CheckAsync(JwtClaims claims, CancellationToken cancellationToken)
    {
        // The validator required a sid when a list is configured.
        if (claims.SessionId is not { } sid || sid.Length == 0)
        {
            return Revoked;
        }

        try
        {
            // A list kept in memory (pushed) answers at once: no deadline to set up for it. One that has
            // to ask its store gets the timeout; the call itself ends with its store's own timeout or the request.
            ValueTask<bool> asked = list.IsRevokedAsync(sid, cancellationToken);
            bool revoked = asked.IsCompletedSuccessfully
                ? asked.Result
                : await asked.AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (revoked)
            {
                TesseraBearerLog.SessionOnRevocationList(log, sid);
                return Revoked;
            }

            return null;
        }
        catch (StoreUnavailableException ex)
        {
            TesseraBearerLog.RevocationListFailed(log, "unavailable", ex);
            return Unavailable;
        }
        catch (TimeoutException)
        {
            TesseraBearerLog.RevocationListFailed(log, "timeout", null);
            return Unavailable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The list gave up on its own (its store's timeout): as unavailable as a timeout here.
            TesseraBearerLog.RevocationListFailed(log, "timeout", null);
            return Unavailable;
        }
    }
}
