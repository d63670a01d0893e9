namespace Tessera.LoadBench.Tests;

/// <summary>A run's results with made-up settings and no rows: the report tests add the rows they need (<c>with</c>).</summary>
internal static class MadeUpResults
{
    public static LoadBenchResults Empty { get; } = new()
    {
        Command = "test",
        Configuration = "Release",
        Quick = false,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        LoadAverageAtStart = "0",
        LoadAverageAtEnd = "0",
        Cpu = "cpu",
        Runtime = "runtime",
        Wrk = "wrk",
        Pinning = "not pinned",
        Rounds = 1,
        RunSeconds = 1,
        WarmupSeconds = 0,
        Connections = 1,
        WrkThreads = 1,
        UsersPerScenario = 1,
        BackgroundSessions = 0,
        Scenarios = [],
        SessionMemory = [],
    };
}
