using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.AspNetCore.Http;
using Tessera.OAuth.Registration;

namespace Tessera.AspNetCore.Admin;

/// <summary>The admin API's problem+json answers for invalid input.</summary>
internal static class AdminProblems
{
    /// <summary>The member beside <c>errors</c> that gives each invalid field's stable code.</summary>
    public const string CodesMember = "codes";

    /// <summary>
    /// 400 with every invalid field: <c>errors</c> (field → messages, RFC 9457 validation style),
    /// <c>codes</c> (field → stable code) and <c>error</c> = the first field's code.
    /// </summary>
    public static ValidationProblem Invalid(IReadOnlyList<ClientRegistrationProblem> problems)
    {
        var errors = problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
        var codes = problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Code, StringComparer.Ordinal);
        return TypedResults.ValidationProblem(errors, detail: "The client registration has invalid fields.",
            extensions: [new(TesseraProblems.ErrorMember, problems[0].Code), new(CodesMember, codes)]);
    }

    /// <summary>One invalid field with its own code.</summary>
    public static ValidationProblem Invalid(string field, TesseraError error) =>
        Invalid([new ClientRegistrationProblem(field, error.Code, error.Message)]);

    /// <summary>404 <c>user_not_found</c>.</summary>
    public static ProblemHttpResult UserNotFound(string id) =>
        TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.UserNotFound, $"No user has the id '{id}'.");

    public static IResult MissingBody(string expected) =>
        TesseraProblems.Problem(StatusCodes.Status400BadRequest, HttpErrorCodes.MalformedRequest, $"The request needs a JSON body: {expected}.");
}
