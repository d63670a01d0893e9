namespace Tessera.LoadTarget.Scenarios;

/// <summary>One authentication setup of the target: its services, its sign-in, what it stores beforehand.</summary>
public interface ITargetScenario
{
    /// <summary>False only for the ceiling: no authentication middleware at all.</summary>
    bool Authenticates { get; }

    /// <summary>
    /// True for Tessera's rows, run as Tessera recommends: <c>UseTesseraAuthentication()</c> and
    /// <c>UseTesseraAuthorization()</c>. The other rows (ASP.NET Core's own, the plumbing floor) use
    /// the framework's <c>UseAuthentication()</c> and <c>UseAuthorization()</c>.
    /// </summary>
    bool UsesTesseraMiddleware { get; }

    /// <summary>Adds the scheme (as the default) and whatever it needs.</summary>
    Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options);

    /// <summary>
    /// Maps <c>POST /bench/signin?user=ID</c>: signs the user in through the scheme's real code path
    /// and hands the credential back as the scheme delivers it (a Set-Cookie header, or a token in JSON).
    /// </summary>
    void MapSignIn(WebApplication app);

    /// <summary>
    /// Signs the caller out the way the scheme can (<c>POST /bench/revoke</c>): ends the session in
    /// the store, or, with nothing stored, tells the client to drop its credential. The harness then
    /// replays the old credential to see whether the server still accepts it.
    /// </summary>
    Task RevokeAsync(HttpContext context);

    /// <summary>Runs after the host is built, before it takes requests (e.g. filling the store).</summary>
    Task PrepareAsync(IServiceProvider services, TargetOptions options);
}
