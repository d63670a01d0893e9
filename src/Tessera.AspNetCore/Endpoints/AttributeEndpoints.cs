using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>The current session's attribute map.</summary>
internal static class AttributeEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, SessionService sessions, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        return TypedResults.Ok(new AttributesResponse(await sessions.GetAttributesAsync(current.Handle, cancellationToken).ConfigureAwait(false)));
    }

    public static async Task<IResult> GetAsync(string key, HttpContext http, SessionService sessions, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        IReadOnlyDictionary<string, string> attributes = await sessions.GetAttributesAsync(current.Handle, cancellationToken).ConfigureAwait(false);
        return attributes.TryGetValue(key, out string? value)
            ? TypedResults.Ok(new AttributeResponse(key, value))
            : NotFound();
    }

    public static async Task<IResult> PutAsync(string key, AttributeValueRequest? request, HttpContext http, SessionService sessions, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        if (request?.Value is null)
        {
            return TesseraProblems.Validation("value", "The value is required and must be a string.");
        }

        Outcome<bool> written = await sessions.SetAttributeAsync(current.Handle, key, request.Value, cancellationToken).ConfigureAwait(false);
        if (!written.Succeeded)
        {
            return written.Error.Code == TesseraErrorCodes.ValidationFailed
                ? TesseraProblems.Validation(SessionAttributeRules.KeyProblem(key) is null ? "value" : "key", written.Error.Message)
                : TesseraProblems.From(written.Error);
        }

        return TypedResults.Ok(new AttributeResponse(key, request.Value));
    }

    public static async Task<IResult> DeleteAsync(string key, HttpContext http, SessionService sessions, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        return await sessions.RemoveAttributeAsync(current.Handle, key, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : NotFound();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() =>
        TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.AttributeNotFound, "This session has no attribute with that key.");
}
