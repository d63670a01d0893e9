using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.AspNetCore.Endpoints;
using Tessera.AspNetCore.RateLimiting;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>Maps the passkey endpoints into the <c>/auth</c> group (<see cref="TesseraEndpointRouteBuilderExtensions.MapTesseraAuth"/>).</summary>
internal static class PasskeyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The passkey routes on <paramref name="auth"/> (which brings CSRF, first-party sessions and
    /// <c>no-store</c>). The sign-ins and the password removal carry the sign-in rate limit, shared
    /// with the password sign-in; the anonymous sign-in options the token limit.
    /// </summary>
    public static RouteGroupBuilder MapTesseraPasskeys(this RouteGroupBuilder auth)
    {
        auth.MapPost("/passkeys/registration/options", PasskeyEndpoints.RegistrationOptionsAsync).RequireAuthorization()
            .WithSummary("Options to register a passkey (WebAuthn creation options JSON) and their state").Produces<PasskeyOptionsResponse>();
        auth.MapPost("/passkeys/registration", PasskeyEndpoints.RegisterAsync).RequireAuthorization()
            .WithSummary("Register a passkey (credential.toJSON() of the new credential)").Produces<PasskeyResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapGet("/passkeys", PasskeyEndpoints.ListAsync).RequireAuthorization()
            .WithSummary("The user's passkeys").Produces<PasskeyListResponse>();
        auth.MapPatch("/passkeys/{id}", PasskeyEndpoints.RenameAsync).RequireAuthorization()
            .WithSummary("Rename a passkey").Produces<PasskeyResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        auth.MapDelete("/passkeys/{id}", PasskeyEndpoints.DeleteAsync).RequireAuthorization()
            .WithSummary("Remove a passkey (not the last one of a passwordless account)").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapPost("/passkeys/assertion/options", PasskeyEndpoints.AssertionOptions).RequireRateLimiting(TesseraRateLimiting.TokenPolicy).AllowAnonymous()
            .WithSummary("Options to sign in with a passkey (WebAuthn request options JSON, discoverable) and their state").Produces<PasskeyOptionsResponse>();
        auth.MapPost("/session/passkey", PasskeyEndpoints.SessionSignInAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).AllowAnonymous()
            .WithSummary("Sign in with a passkey for a session cookie").Produces<SignedInResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status423Locked);
        auth.MapPost("/token/passkey", PasskeyEndpoints.TokenSignInAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).AllowAnonymous()
            .WithSummary("Sign in with a passkey for an access and a refresh token (?delivery=cookie puts them in cookies)").Produces<TokenResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status423Locked);
        // It checks a password: the sign-in budget per client, like /auth/password.
        auth.MapDelete("/password", PasswordRemovalEndpoint.DeleteAsync).RequireRateLimiting(TesseraRateLimiting.SignInPolicy).RequireAuthorization()
            .WithSummary("Remove the password (passkeys only from now on; ends the other sessions)").Produces<RevokedResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status423Locked);
        return auth;
    }
}
