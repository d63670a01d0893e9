using Tessera.LoadTarget;

namespace Tessera.LoadBench;

/// <summary>
/// Restart survival, measured: per scenario, a target on its own data folder (SQLite file, key
/// ring, Data Protection keys) and the run's Redis signs users in and one more out, is killed
/// (SIGKILL: a crash, the harder case than a clean stop) and started again on the same folder and
/// Redis; then every credential is replayed.
/// </summary>
public static class ConceptsRestart
{
    /// <summary>The columns of the concepts table, one scenario each (ES256 stands for the bearer tokens).</summary>
    public static IReadOnlyList<string> Scenarios { get; } =
    [
        ScenarioNames.SessionMemory, ScenarioNames.SessionSqlite, ScenarioNames.SessionRedis,
        ScenarioNames.BearerEs256, ScenarioNames.BearerEs256Sid, ScenarioNames.AspNetCookie,
    ];

    public static async Task<RestartSurvival> MeasureAsync(Scenario scenario, int users, string? cores, string workFolder, string? redis, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(log);
        string data = Path.Combine(workFolder, "restart-" + scenario.Name);
        IReadOnlyList<Credential> credentials;
        Credential signedOut;
        int acceptedBefore;
        bool refusedBefore;
        log.WriteLine($"restart survival: {scenario.Name}, {users} users");
        await using (TargetProcess first = await TargetProcess.StartAsync(scenario, cores, workFolder, redis, 0, ["--data", data], cancellationToken))
        {
            credentials = await TargetChecks.SignInAsync(first, users, cancellationToken);
            signedOut = await Credential.SignInAsync(first.Client, RandomIds.New128(), cancellationToken)
                ?? throw new InvalidOperationException($"{scenario.Name}: sign-in produced no credential");
            await ConceptsProbe.RevokeAsync(first.Client, signedOut, cancellationToken);
            acceptedBefore = await ConceptsProbe.AcceptedAsync(first.Client, credentials, cancellationToken);
            refusedBefore = !await ConceptsProbe.AcceptsAsync(first.Client, signedOut, cancellationToken);
        }

        // DisposeAsync killed the process tree and waited for it: nothing of it is left but its files and Redis keys.
        await using TargetProcess second = await TargetProcess.StartAsync(scenario, cores, workFolder, redis, 0, ["--data", data], cancellationToken);
        int acceptedAfter = await ConceptsProbe.AcceptedAsync(second.Client, credentials, cancellationToken);
        bool refusedAfter = !await ConceptsProbe.AcceptsAsync(second.Client, signedOut, cancellationToken);
        log.WriteLine($"restart survival: {scenario.Name}: {acceptedAfter}/{credentials.Count} accepted after the restart (before: {acceptedBefore}); signed-out refused before {refusedBefore}, after {refusedAfter}");
        return new RestartSurvival(scenario.Name, credentials.Count, acceptedBefore, acceptedAfter, refusedBefore, refusedAfter);
    }
}
