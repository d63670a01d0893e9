using Tessera.AspNetCore.Authorization;
using Tessera.LoadTarget;
using Tessera.LoadTarget.Scenarios;

// The load benchmark's target (started by bench/Tessera.LoadBench, one process per scenario):
//   dotnet Tessera.LoadTarget.dll --scenario NAME --urls http://127.0.0.1:PORT [--data DIR] [--redis CONFIG] [--background-sessions N]
// Prints "ready" once it takes requests.
TargetOptions options;
try
{
    options = TargetOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

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

WebApplication app = builder.Build();
if (scenario.Authenticates)
{
    app.UseAuthentication();
    app.UseAuthorization();
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
await app.StartAsync();
Console.WriteLine("ready");
await app.WaitForShutdownAsync();
return 0;
