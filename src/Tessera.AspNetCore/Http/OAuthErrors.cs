using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.AspNetCore.Endpoints;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// The RFC 6749 §5.2 error shape of the <c>/oauth2</c> endpoints: <c>error</c> is the protocol's
/// code (<see cref="TesseraErrorEntry.OAuthError"/>), <c>error_description</c> is for people and
/// <c>tessera_error</c> keeps Tessera's finer code beside it.
/// </summary>
public static class OAuthErrors
{
    /// <summary>The answer for <paramref name="code"/>: its protocol error and status from <see cref="TesseraErrorCatalog"/>.</summary>
    public static JsonHttpResult<OAuthErrorResponse> Result(string code, string description)
    {
        TesseraErrorEntry entry = TesseraErrorCatalog.Describe(code);
        // A code the protocol has no word for is still a request the server refuses: invalid_request.
        string error = entry.OAuthError ?? OAuthErrorCodes.InvalidRequest;
        int status = entry.OAuthError is null ? StatusCodes.Status400BadRequest : entry.OAuthStatus;
        return TypedResults.Json(new OAuthErrorResponse(error, description, code), statusCode: status);
    }

    /// <summary>The answer for a domain error.</summary>
    public static JsonHttpResult<OAuthErrorResponse> From(TesseraError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Result(error.Code, error.Message);
    }
}
