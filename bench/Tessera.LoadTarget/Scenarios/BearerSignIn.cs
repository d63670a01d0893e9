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

    public static async Task RevokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // AddJwtBearer maps "sid" to ClaimTypes.Sid by default.
        string sid = (context.User.FindFirst("sid") ?? context.User.FindFirst(System.Security.Claims.ClaimTypes.Sid))?.Value ?? throw new InvalidOperationException("the token carries no sid");
        await context.RequestServices.GetRequiredService<BenchTokenIssuer>().RevokeAsync(sid, context.RequestAborted);
    }
}
