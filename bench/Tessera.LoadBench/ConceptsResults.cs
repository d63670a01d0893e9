namespace Tessera.LoadBench;

/// <summary>
/// What the concepts table's measured rows come from (issue #13): restart survival, the cost of a
/// second server, sticky-session imbalance. Null parts were not measured in the run.
/// </summary>
public sealed record ConceptsResults(
    IReadOnlyList<RestartSurvival> Restart,
    IReadOnlyList<SecondServerResult> SecondServer,
    IReadOnlyList<StickyResult> Sticky,
    string Placement);

/// <summary>
/// One scenario's target killed (SIGKILL) and started again on the same data folder, Redis and key
/// ring: how many of the credentials issued before still authenticate as their user, and whether
/// a credential signed out before the restart is still refused after it.
/// </summary>
public sealed record RestartSurvival(
    string Scenario, int SignedIn, int AcceptedBefore, int AcceptedAfterRestart,
    bool RevokedRefusedBefore, bool RevokedRefusedAfterRestart);

/// <summary>One load run through nginx over <see cref="Instances"/> targets sharing one store (or only keys).</summary>
public sealed record BalancedRun(
    int Instances, long Requests, double RequestsPerSecond, double ServerCpuMicrosecondsPerRequest,
    double StoreCommandsPerRequest, double? StoreCpuMicrosecondsPerCommand, long Errors);

/// <summary>
/// One scenario with one instance and then two behind the same nginx (round robin), same load:
/// medians over the rounds of each.
/// </summary>
public sealed record SecondServerResult(string Scenario, BalancedRun One, BalancedRun Two, IReadOnlyList<BalancedRun> Runs)
{
    /// <summary>Store commands per request the second instance adds (two minus one).</summary>
    public double ExtraStoreCommandsPerRequest => Two.StoreCommandsPerRequest - One.StoreCommandsPerRequest;

    /// <summary>Requests/s with two instances over requests/s with one.</summary>
    public double ThroughputRatio => Two.RequestsPerSecond / One.RequestsPerSecond;
}

/// <summary>
/// One balancing policy over two instances, <see cref="Clients"/> clients each from its own
/// 127.x.y.z source address in a closed loop: the requests each instance served, the largest over
/// the mean, and how many clients were sent to more than one instance.
/// </summary>
public sealed record StickyResult(
    string Policy, string NginxDirective, int Clients, IReadOnlyList<long> RequestsPerInstance, IReadOnlyList<int> ClientsPerInstance,
    int ClientsOnSeveralInstances, long Errors)
{
    /// <summary>The busiest instance's requests over the mean per instance (1.0: perfectly even).</summary>
    public double MaxOverMean => RequestsPerInstance.Count == 0 || RequestsPerInstance.Sum() == 0
        ? double.NaN
        : RequestsPerInstance.Max() / (RequestsPerInstance.Sum() / (double)RequestsPerInstance.Count);
}
