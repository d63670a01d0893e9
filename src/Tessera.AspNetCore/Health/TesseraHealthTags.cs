namespace Tessera.AspNetCore.Health;

/// <summary>
/// The tags that sort health checks into liveness and readiness. A check tagged
/// <see cref="Live"/> answers <c>/health/live</c> (is the process able to answer at all; never a
/// store call, so a store outage does not get the process restarted), one tagged
/// <see cref="Ready"/> answers <c>/health/ready</c> (can it serve requests now: every store and
/// the key ring). An application adds its own checks with the same tags.
/// </summary>
public static class TesseraHealthTags
{
    /// <summary>Checks of the process itself, for a liveness probe.</summary>
    public const string Live = "live";

    /// <summary>Checks of what requests need (stores, key ring), for a readiness probe.</summary>
    public const string Ready = "ready";

    /// <summary>Marks the checks of Tessera's stores (one per <see cref="Tessera.Stores.IStoreHealthProbe"/>).</summary>
    public const string Store = "store";
}
