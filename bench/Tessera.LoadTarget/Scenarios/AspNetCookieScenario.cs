using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// ASP.NET Core's own cookie authentication: the whole ticket (the same two claims Tessera's
/// session puts in its principal: <c>sub</c> and <c>sid</c>) encrypted into the cookie by Data
/// Protection; nothing stored on the server. An unauthenticated request gets a 401, not the
/// default redirect to a login page.
/// </summary>
public sealed class AspNetCookieScenario : ITargetScenario
{
    public bool Authenticates => true;

    public bool UsesTesseraMiddleware => false;

    public Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        // With --data the Data Protection key ring is kept there, as a deployment persists it:
        // a restarted target still decrypts the cookies it issued (the restart measurement).
        IDataProtectionBuilder protection = builder.Services.AddDataProtection();
        _ = options.DataDirectory is null
            ? protection.UseEphemeralDataProtectionProvider()
            : protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "data-protection"))).SetApplicationName("Tessera.LoadTarget");
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "bench-aspnet";
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        return Task.CompletedTask;
    }

    public void MapSignIn(WebApplication app) =>
        app.MapPost(SignIn.Path, async (HttpContext context) =>
        {
            if (SignIn.UserFrom(context) is not { } user)
            {
                return Results.BadRequest();
            }

            var identity = new ClaimsIdentity([new Claim("sub", user), new Claim("sid", RandomIds.New128())], CookieAuthenticationDefaults.AuthenticationScheme, "sub", ClaimTypes.Role);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return Results.NoContent();
        });

    // Signing out only clears the client's cookie: there is nothing on the server to end.
    public Task RevokeAsync(HttpContext context) => context.SignOutAsync();

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;
}
