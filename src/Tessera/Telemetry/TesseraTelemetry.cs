using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Tessera.Telemetry;

/// <summary>
/// Tessera's one <see cref="System.Diagnostics.Metrics.Meter"/> and one <see cref="System.Diagnostics.ActivitySource"/>,
/// both named <see cref="Name"/> and versioned with the assembly. The BCL APIs only: an application
/// listens with OpenTelemetry (<c>AddMeter("Tessera")</c>, <c>AddSource("Tessera")</c>), a
/// <see cref="MeterListener"/> or <c>dotnet-counters</c>; nobody listening costs a flag check.
/// docs/telemetry.md lists every instrument and span.
/// </summary>
public static class TesseraTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Tessera";

    /// <summary>The version both carry: the Tessera assembly's informational version (without the source revision).</summary>
    public static readonly string Version = ReadVersion();

    /// <summary>Where every Tessera metric is created.</summary>
    public static readonly Meter Meter = new(Name, Version);

    /// <summary>Where every Tessera span starts.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, Version);

    private static string ReadVersion()
    {
        string? informational = typeof(TesseraTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is null)
        {
            return typeof(TesseraTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        }

        // SourceLink appends "+<commit>": the meter's version names the release, not the build.
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
