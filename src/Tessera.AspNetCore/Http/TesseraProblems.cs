using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// RFC 9457 problem details with an <c>error</c> member holding the stable code, the same code the
/// domain returns. Clients branch on <c>error</c>; <c>title</c> and <c>detail</c> are for people.
/// </summary>
public static class TesseraProblems
{
    public const string ErrorMember = "error";

    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(Details(status, code, detail));

    public static ProblemHttpResult From(TesseraError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Problem(StatusFor(error.Code), error.Code, error.Message);
    }

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail = "The request has invalid fields.") =>
        TypedResults.ValidationProblem(errors, detail: detail, extensions: [new(ErrorMember, TesseraErrorCodes.ValidationFailed)]);

    public static ValidationProblem Validation(string field, string problem) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [problem] });

    public static ProblemDetails Details(int status, string code, string detail)
    {
        var details = new ProblemDetails { Status = status, Detail = detail };
        details.Extensions[ErrorMember] = code;
        return details;
    }

    /// <summary>The HTTP status of each domain error code.</summary>
    public static int StatusFor(string code) => code switch
    {
        TesseraErrorCodes.InvalidCredentials or TesseraErrorCodes.Unauthenticated
            or TesseraErrorCodes.SessionExpired or TesseraErrorCodes.SessionRevoked
            or TesseraErrorCodes.InvalidGrant or TesseraErrorCodes.RefreshTokenReused or TesseraErrorCodes.InvalidToken => StatusCodes.Status401Unauthorized,
        TesseraErrorCodes.AccountLocked => StatusCodes.Status423Locked,
        TesseraErrorCodes.UsernameTaken or TesseraErrorCodes.AttributeLimitReached => StatusCodes.Status409Conflict,
        TesseraErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        TesseraErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        TesseraErrorCodes.CsrfRejected => StatusCodes.Status403Forbidden,
        TesseraErrorCodes.SessionNotFound or TesseraErrorCodes.AttributeNotFound => StatusCodes.Status404NotFound,
        TesseraErrorCodes.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        TesseraErrorCodes.CookieTooLarge => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };
}
