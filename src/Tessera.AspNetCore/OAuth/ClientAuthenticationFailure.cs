using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.Http;

namespace Tessera.AspNetCore.OAuth;

/// <summary>
/// The answer to a refused client (RFC 6749 §5.2): <c>invalid_client</c> is 401 with
/// <c>WWW-Authenticate: Basic</c> when the client used HTTP Basic (the RFC's MUST); a client that
/// used another method gets 400, since a 401 must name a scheme (RFC 9110 §15.5.2) and a Basic
/// challenge would make a browser open a password dialog for a request that never used Basic.
/// </summary>
internal static class ClientAuthenticationFailure
{
    public const string Realm = "Basic realm=\"Tessera\"";

    public static IResult Answer(HttpResponse response, TesseraError error, bool usedBasic)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(error);
        if (!string.Equals(error.Code, OAuthErrorCodes.InvalidClient, StringComparison.Ordinal))
        {
            return OAuthErrors.From(error);
        }

        if (usedBasic)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = Realm;
            return TypedResults.Json(new OAuthErrorResponse(OAuthErrorCodes.InvalidClient, error.Message, error.Code), statusCode: StatusCodes.Status401Unauthorized);
        }

        return TypedResults.Json(new OAuthErrorResponse(OAuthErrorCodes.InvalidClient, error.Message, error.Code), statusCode: StatusCodes.Status400BadRequest);
    }
}
