using Tessera.AspNetCore.Authentication.Middleware;
using Tessera.AspNetCore.Authorization;
using Tessera.LoadTarget.Scenarios;

namespace Tessera.LoadTarget;

/// <summary>
/// The target application of one scenario, the same for the load run (Kestrel, <c>Program.cs</c>)
/// and the in-process probe (<see cref="PipelineProbe"/>): one authentication scheme (or none), the
/// sign-in and revoke endpoints, and <c>GET /bench/whoami</c> behind <c>RequireAuthorization</c>.
/// </summary>
public static class TargetApp
{
    /// <summary>Builds and prepares the scenario's application; <paramref name="customize"/> runs last on the builder (the probe swaps the server).</summary>
    public static async Task<WebApplication> BuildAsync(TargetOptions options, Action<WebApplicationBuilder>? customize = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        // Warnings and errors only: per-request logs would measure the console, not authentication.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        ITargetScenario scenario = TargetScenarios.Create(options.Scenario);
        await scenario.ConfigureAsync(builder, options);
        if (scenario.Authenticates)
        {
            // The cheapest authorization setup that keeps RequireAuthorization and policies as they are:
            // the framework's transient authorization services as singletons (see SingletonAuthorizationServices),
            // for every authenticating scenario alike, so the comparison between them is unchanged.
            builder.Services.TryMakeAuthorizationServicesSingletons();
        }

        customize?.Invoke(builder);
        WebApplication app = builder.Build();
        if (scenario.Authenticates)
        {
            if (scenario.UsesTesseraMiddleware)
            {
                // Tessera's rows authenticate with UseTesseraAuthentication() (the framework's middleware with the
                // cheaper path for Tessera's default scheme); everything else with the framework's own.
                app.UseTesseraAuthentication();
                // Tessera's rows run as Tessera recommends (docs/benchmarks.md): the framework's authorization
                // with the shortcut for authenticated users on "any signed-in user" endpoints. ASP.NET Core's
                // own rows and the plumbing floor (row 16) keep the framework's UseAuthorization().
                app.UseTesseraAuthorization();
            }
            else
            {
                app.UseAuthentication();
                app.UseAuthorization();
            }
        }

        scenario.MapSignIn(app);
        RouteHandlerBuilder revoke = app.MapPost(SignIn.RevokePath, async (HttpContext context) =>
        {
            await scenario.RevokeAsync(context);
            return Results.NoContent();
        });
        RouteHandlerBuilder whoami = app.MapGet(Whoami.Path, Whoami.Handle);
        if (scenario.Authenticates)
        {
            whoami.RequireAuthorization();
            revoke.RequireAuthorization();
        }

        await scenario.PrepareAsync(app.Services, options);
        return app;
    }
}
