using Tessera.LoadTarget;

namespace Tessera.LoadBench.Tests;

/// <summary>
/// The concepts measurements end to end, quick: what the table states about restarts, a second
/// server and stickiness holds on real targets, Redis and nginx. Counts and behaviour only, no
/// timing. Needs wrk, redis-server and nginx (./test.sh installs them).
/// </summary>
public class ConceptsQuickTests
{
    [Fact]
    public async Task RestartsSecondServersAndStickyBalancingBehaveAsTheTableSays()
    {
        LoadBenchOptions options = LoadBenchOptions.QuickRun with
        {
            Scenarios = [ScenarioNames.SessionMemory, ScenarioNames.SessionSqlite, ScenarioNames.SessionRedis, ScenarioNames.BearerEs256, ScenarioNames.BearerEs256Sid, ScenarioNames.AspNetCookie],
            Users = 5,
            Warmup = TimeSpan.Zero,
            Duration = TimeSpan.FromSeconds(1),
            StickyClients = 12,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));

        ConceptsResults concepts = await ConceptsMeasurement.RunAsync(options, TextWriter.Null, timeout.Token);

        RestartSurvival Restart(string name) => concepts.Restart.Single(r => r.Scenario == name);
        Assert.All(concepts.Restart, r => Assert.Equal(5, r.AcceptedBefore));
        Assert.Equal(0, Restart(ScenarioNames.SessionMemory).AcceptedAfterRestart);
        Assert.Equal(5, Restart(ScenarioNames.SessionSqlite).AcceptedAfterRestart);
        Assert.Equal(5, Restart(ScenarioNames.SessionRedis).AcceptedAfterRestart);
        Assert.Equal(5, Restart(ScenarioNames.BearerEs256).AcceptedAfterRestart); // the key ring kept under --data
        Assert.Equal(5, Restart(ScenarioNames.AspNetCookie).AcceptedAfterRestart); // the Data Protection keys too
        Assert.True(Restart(ScenarioNames.BearerEs256Sid).RevokedRefusedAfterRestart);
        Assert.True(Restart(ScenarioNames.SessionRedis).RevokedRefusedAfterRestart);
        Assert.False(Restart(ScenarioNames.AspNetCookie).RevokedRefusedAfterRestart);

        SecondServerResult Pair(string name) => concepts.SecondServer.Single(s => s.Scenario == name);
        Assert.All(concepts.SecondServer, s => Assert.Equal(0, s.One.Errors + s.Two.Errors));
        Assert.All(concepts.SecondServer, s => Assert.True(s.One.Requests > 0 && s.Two.Requests > 0, s.Scenario));
        Assert.True(Pair(ScenarioNames.BearerEs256).Two.StoreCommandsPerRequest < 0.05); // only heartbeats, no store per request
        Assert.True(Pair(ScenarioNames.BearerEs256Sid).One.StoreCommandsPerRequest >= 1); // one EXISTS per request
        Assert.True(Pair(ScenarioNames.SessionRedis).One.StoreCommandsPerRequest >= 1);

        StickyResult Policy(string prefix) => concepts.Sticky.Single(s => s.Policy.StartsWith(prefix, StringComparison.Ordinal));
        Assert.All(concepts.Sticky, s => Assert.Equal(0, s.Errors));
        Assert.Equal(0, Policy("client address").ClientsOnSeveralInstances);
        Assert.Equal(0, Policy("route cookie").ClientsOnSeveralInstances);
        Assert.Equal([12, 12], Policy("round robin").ClientsPerInstance); // every client reaches both
    }
}
