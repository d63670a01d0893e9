namespace Tessera.Server.Tests.Telemetry;

/// <summary>
/// Tessera's meter and activity source are process-wide (BCL statics), so a listener also hears
/// every other test's servers: the telemetry tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (alone)";
}
