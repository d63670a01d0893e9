using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>The current session's attribute map: any JSON value per key.</summary>
internal static class AttributeEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, SessionAttributes attributes, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        return TypedResults.Ok(new AttributesResponse(await attributes.GetAllAsync(current.Handle, cancellationToken).ConfigureAwait(false)));
    }

    public static async Task<IResult> GetAsync(string key, HttpContext http, SessionAttributes attributes, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        return await attributes.GetAsync(current.Handle, key, cancellationToken).ConfigureAwait(false) is { } value
            ? TypedResults.Ok(new AttributeResponse(key, value))
            : NotFound();
    }

    public static async Task<IResult> PutAsync(string key, AttributeValueRequest? request, HttpContext http, SessionAttributes attributes, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        JsonElement value = request?.Value ?? default;
        Outcome<bool> written = await attributes.SetAsync(current.Handle, key, value, cancellationToken).ConfigureAwait(false);
        if (!written.Succeeded)
        {
            return written.Error.Code == TesseraErrorCodes.ValidationFailed
                ? TesseraProblems.Validation(SessionAttributeRules.KeyProblem(key) is null ? "value" : "key", written.Error.Message)
                : TesseraProblems.From(written.Error);
        }

        return TypedResults.Ok(new AttributeResponse(key, value));
    }

    public static async Task<IResult> DeleteAsync(string key, HttpContext http, SessionAttributes attributes, CancellationToken cancellationToken)
    {
        SessionRecord current = AccountEndpoints.CurrentSession(http);
        return await attributes.RemoveAsync(current.Handle, key, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : NotFound();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() =>
        TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.AttributeNotFound, "This session has no attribute with that key.");
}
