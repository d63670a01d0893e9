namespace Tessera.LoadBench;

/// <summary>One wrk run of one scenario, with the server's CPU time over the same interval.</summary>
public sealed record RunSample(
    int Round, long Requests, double RequestsPerSecond, double LatencyP50Milliseconds, double LatencyP99Milliseconds,
    double ServerCpuMicrosecondsPerRequest, double ServerCpuCores, long Non2xxOr3xx, long SocketErrors);

/// <summary>A scenario's results: every run, and the medians the doc reports.</summary>
public sealed record ScenarioResult(
    int Number, string Name, string Title, string Credential, int CredentialBytes,
    IReadOnlyList<RunSample> Runs,
    double RequestsPerSecond, double LatencyP50Milliseconds, double LatencyP99Milliseconds,
    double ServerCpuMicrosecondsPerRequest, double ServerCpuCores, long PeakMemoryBytes,
    long Non2xxOr3xx, long SocketErrors, bool? RefusedRightAfterRevocation, string? Note)
{
    /// <summary>
    /// Store operations per request, median of the runs (#13 capacity; <see cref="CapacityStoreCounter"/>):
    /// Redis commands, or PostgreSQL statements in the scenario's database; null where the store is
    /// not counted (in memory, SQLite) or the row has none.
    /// </summary>
    public double? StoreOperationsPerRequest { get; init; }
}

/// <summary>Memory one stored session costs, measured by filling a store.</summary>
public sealed record SessionMemoryResult(string Store, int Sessions, long TotalBytes, double BytesPerSession, string Method);

/// <summary>Everything one harness run measured; written as JSON and rendered into the docs.</summary>
public sealed record LoadBenchResults
{
    public required string Command { get; init; }
    public required string Configuration { get; init; }
    public required bool Quick { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required string LoadAverageAtStart { get; init; }
    public required string LoadAverageAtEnd { get; init; }
    public required string Cpu { get; init; }
    public required string Runtime { get; init; }
    public required string Wrk { get; init; }
    public required string Pinning { get; init; }

    /// <summary>The concepts table's measured rows (issue #13, cells); null when the run skipped them (<c>--no-concepts</c>).</summary>
    public ConceptsResults? Concepts { get; init; }

    /// <summary>The revocation-latency run's results found beside this run's (ConceptsRevocationLatency); null when there were none.</summary>
    public RevocationLatencyMeasured? RevocationLatency { get; init; }

    public required int Rounds { get; init; }
    public required double RunSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required int Connections { get; init; }
    public required int WrkThreads { get; init; }
    public required int UsersPerScenario { get; init; }
    public required int BackgroundSessions { get; init; }
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }
    public required IReadOnlyList<SessionMemoryResult> SessionMemory { get; init; }

    /// <summary>#13 issuing: the token endpoints and the ES256 cache-miss row, outside the request-path table.</summary>
    public IReadOnlyList<IssuingResult> Issuing { get; init; } = [];
}
