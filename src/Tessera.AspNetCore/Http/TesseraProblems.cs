using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Tessera.AspNetCore.Http;

/// <summary>
/// RFC 9457 problem details with an <c>error</c> member holding the stable code, the same code the
/// domain returns, and a <c>reason</c> member when a finer cause stands behind it
/// (<see cref="TesseraError.Reason"/>, such as <c>expired</c> behind <c>invalid_token</c>).
/// Clients branch on <c>error</c>; <c>title</c> and <c>detail</c> are for people.
/// </summary>
public static class TesseraProblems
{
    /// <summary>The problem+json extension member carrying the stable error code (RFC 9457 §3.2).</summary>
    public const string ErrorMember = "error";

    /// <summary>The RFC 9457 §3.2 extension member naming the finer cause behind <see cref="ErrorMember"/>.</summary>
    public const string ReasonMember = "reason";

    /// <summary>A problem+json answer with <paramref name="status"/>, the stable <paramref name="code"/> and <paramref name="detail"/> for people.</summary>
    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(Details(status, code, detail));

    /// <summary>The problem of a domain error, with the status <see cref="TesseraErrorCatalog"/> gives its code.</summary>
    public static ProblemHttpResult From(TesseraError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return TypedResults.Problem(Details(StatusFor(error.Code), error));
    }

    /// <summary>A 400 <c>validation_failed</c> answer listing the problem of each field in <paramref name="errors"/>.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail = "The request has invalid fields.") =>
        TypedResults.ValidationProblem(errors, detail: detail, extensions: [new(ErrorMember, TesseraErrorCodes.ValidationFailed)]);

    /// <summary>A 400 <c>validation_failed</c> answer for the one <paramref name="field"/> and its <paramref name="problem"/>.</summary>
    public static ValidationProblem Validation(string field, string problem) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [problem] });

    /// <summary>The problem details for <paramref name="status"/>, <paramref name="code"/> and <paramref name="detail"/>, for a writer that is not a minimal API result.</summary>
    public static ProblemDetails Details(int status, string code, string detail)
    {
        var details = new ProblemDetails { Status = status, Detail = detail };
        details.Extensions[ErrorMember] = code;
        return details;
    }

    /// <summary>The problem of <paramref name="error"/> at <paramref name="status"/>: its code, message and, when set, its reason.</summary>
    public static ProblemDetails Details(int status, TesseraError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ProblemDetails details = Details(status, error.Code, error.Message);
        if (error.Reason is { } reason)
        {
            details.Extensions[ReasonMember] = reason;
        }

        return details;
    }

    /// <summary>The HTTP status of each error code; see <see cref="TesseraErrorCatalog.StatusFor"/>.</summary>
    public static int StatusFor(string code) => TesseraErrorCatalog.StatusFor(code);
}
