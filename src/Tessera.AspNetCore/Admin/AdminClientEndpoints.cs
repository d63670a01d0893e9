using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.OAuth;
using Tessera.OAuth.Registration;

namespace Tessera.AspNetCore.Admin;

/// <summary>The client registry over HTTP: list, register, read, replace, remove, rotate the secret.</summary>
internal static class AdminClientEndpoints
{
    public static async Task<IResult> ListAsync(ClientRegistration registration, CancellationToken cancellationToken)
    {
        IReadOnlyList<OAuthClient> clients = await registration.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(clients.Select(c => AdminClientResponse.From(c)).ToArray());
    }

    public static async Task<IResult> CreateAsync(AdminClientRequest? request, HttpContext http, ClientRegistration registration, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return AdminProblems.MissingBody("the client's settings");
        }

        http.Items[AdminAction.TargetItem] = request.ClientId;
        if (request.JwksProblem() is { } jwksProblem)
        {
            return AdminProblems.Invalid("jwks", jwksProblem);
        }

        ClientRegistrationRequest registering = request.ToRegistration();
        if (ClientRegistrationRules.Validate(registering) is { Count: > 0 } problems)
        {
            return AdminProblems.Invalid(problems);
        }

        Outcome<RegisteredClient> created = await registration.CreateAsync(registering, cancellationToken).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return TesseraProblems.From(created.Error);
        }

        OAuthClient client = created.Value.Client;
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path}/{Uri.EscapeDataString(client.ClientId)}", AdminClientResponse.From(client, created.Value.Secret));
    }

    public static async Task<IResult> GetAsync(string id, ClientRegistration registration, CancellationToken cancellationToken) =>
        await registration.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } client
            ? TypedResults.Ok(AdminClientResponse.From(client))
            : NotFound(id);

    /// <summary>Replaces the client's settings; its id (the path's), creation time and secrets stay.</summary>
    public static async Task<IResult> PutAsync(string id, AdminClientRequest? request, ClientRegistration registration, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return AdminProblems.MissingBody("the client's settings");
        }

        if (request.ClientId is not null && !string.Equals(request.ClientId, id, StringComparison.Ordinal))
        {
            return AdminProblems.Invalid("clientId", new TesseraError(TesseraErrorCodes.ClientIdInvalid, "a client's id cannot change: leave clientId out, or give the one in the path"));
        }

        if (request.JwksProblem() is { } jwksProblem)
        {
            return AdminProblems.Invalid("jwks", jwksProblem);
        }

        ClientRegistrationRequest registering = request.ToRegistration(id);
        if (ClientRegistrationRules.Validate(registering) is { Count: > 0 } problems)
        {
            return AdminProblems.Invalid(problems);
        }

        Outcome<RegisteredClient> updated = await registration.UpdateAsync(registering, cancellationToken).ConfigureAwait(false);
        return updated.Succeeded
            ? TypedResults.Ok(AdminClientResponse.From(updated.Value.Client, updated.Value.Secret))
            : TesseraProblems.From(updated.Error);
    }

    public static async Task<IResult> DeleteAsync(string id, ClientRegistration registration, CancellationToken cancellationToken) =>
        await registration.RemoveAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>A new secret, in this answer only; <c>{"keepPrevious":true}</c> keeps the newest old one valid too.</summary>
    public static async Task<IResult> RotateSecretAsync(string id, AdminRotateSecretRequest? request, ClientRegistration registration, CancellationToken cancellationToken)
    {
        Outcome<RegisteredClient> rotated = await registration.RotateSecretAsync(id, request?.KeepPrevious ?? false, cancellationToken).ConfigureAwait(false);
        return rotated.Succeeded
            ? TypedResults.Ok(AdminClientResponse.From(rotated.Value.Client, rotated.Value.Secret))
            : TesseraProblems.From(rotated.Error);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string id) =>
        TesseraProblems.Problem(StatusCodes.Status404NotFound, TesseraErrorCodes.ClientNotFound, $"No client has the id '{id}'.");
}
