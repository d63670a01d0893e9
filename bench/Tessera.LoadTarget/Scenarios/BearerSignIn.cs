using Tessera.AspNetCore.Http;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>The sign-in of every bearer scenario: a token session started through <see cref="BenchTokenIssuer"/>.</summary>
public static class BearerSignIn
{
    public static void Map(WebApplication app) =>
        app.MapPost(SignIn.Path, async (HttpContext context, BenchTokenIssuer issuer) =>
            SignIn.UserFrom(context) is { } user
                ? Results.Json(new SignIn.TokenResponse(await issuer.IssueAsync(user, ClientInfo.From(context), context.RequestAborted)))
                : Results.BadRequest());
}
