namespace Tessera.LoadTarget.Scenarios;

/// <summary>The ceiling: the same endpoint with no authentication middleware at all.</summary>
public sealed class NoAuthentication : ITargetScenario
{
    public bool Authenticates => false;

    public bool UsesTesseraMiddleware => false;

    public Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options) => Task.CompletedTask;

    // Nothing to sign in to: the harness sends no credential.
    public void MapSignIn(WebApplication app) =>
        app.MapPost(SignIn.Path, () => TypedResults.NoContent());

    public Task RevokeAsync(HttpContext context) => Task.CompletedTask;

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => Task.CompletedTask;
}
