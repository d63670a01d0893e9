using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// The floor of ASP.NET Core's authentication and authorization (#13): <c>UseAuthentication</c>,
/// <c>UseAuthorization</c> and <c>RequireAuthorization</c> exactly as every authenticating row has
/// them, around a handler that checks nothing: any <c>Authorization: Floor …</c> header is accepted
/// as a fixed user, with the same two claims (<c>sub</c>, <c>sid</c>) Tessera's handlers give, in a
/// new principal per request. No scheme can cost less and still run through the framework's
/// authentication; the distance from a row to this one is that scheme's own work.
/// </summary>
public sealed class PlumbingFloorScenario : ITargetScenario
{
    internal const string SchemeName = "Floor";

    public bool Authenticates => true;

    public bool UsesTesseraMiddleware => false;

    public Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, FloorHandler>(SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
        return Task.CompletedTask;
    }

    // The "credential" is the user id after the scheme's name, answered like a bearer token.
    public void MapSignIn(WebApplication app) =>
        app.MapPost(SignIn.Path, (HttpContext context) =>
            SignIn.UserFrom(context) is { } user ? Results.Json(new SignIn.TokenResponse(user)) : Results.BadRequest());

    // Nothing is stored, so nothing can be revoked: the row says so ("Refused right after sign-out: no").
    public Task RevokeAsync(HttpContext context) => Task.CompletedTask;

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;

    /// <summary>Accepts <c>Authorization: Floor USER</c> (the harness sends <c>Bearer USER</c>; both are taken) without any check.</summary>
    internal sealed class FloorHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string? header = Request.Headers.Authorization;
            int space = header?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
            if (space <= 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            string user = header![(space + 1)..];
            var identity = new ClaimsIdentity([new Claim("sub", user), new Claim("sid", "floor")], SchemeName, "sub", ClaimTypes.Role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
