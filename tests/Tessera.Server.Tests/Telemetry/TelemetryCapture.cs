using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Tessera.Telemetry;

namespace Tessera.Server.Tests.Telemetry;

/// <summary>
/// Reads Tessera's metrics and spans (and ASP.NET Core's request spans) through OpenTelemetry's
/// in-memory exporter, as an application's own OpenTelemetry set-up would receive them.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly MeterProvider _meters;
    private readonly TracerProvider _tracer;
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<Activity> _spans = [];

    public TelemetryCapture()
    {
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(TesseraTelemetry.Name).AddInMemoryExporter(_metrics).Build();
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(TesseraTelemetry.Name).AddAspNetCoreInstrumentation().AddInMemoryExporter(_spans).Build();
    }

    /// <summary>The spans ended so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            _tracer.ForceFlush();
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Every metric point collected now (cumulative since the capture began).</summary>
    public IReadOnlyList<(string Name, Dictionary<string, string?> Tags, double Value, long Count)> Points()
    {
        _metrics.Clear();
        _meters.ForceFlush();
        var points = new List<(string, Dictionary<string, string?>, double, long)>();
        foreach (MetricSnapshot metric in _metrics)
        {
            foreach (MetricPoint point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value?.ToString();
                }

                (double value, long count) = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => (point.GetSumLong(), 0L),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => (point.GetSumDouble(), 0L),
                    MetricType.LongGauge => (point.GetGaugeLastValueLong(), 0L),
                    MetricType.DoubleGauge => (point.GetGaugeLastValueDouble(), 0L),
                    MetricType.Histogram => (point.GetHistogramSum(), point.GetHistogramCount()),
                    _ => (double.NaN, 0L),
                };
                points.Add((metric.Name, tags, value, count));
            }
        }

        return points;
    }

    /// <summary>The sum of <paramref name="name"/> over the points whose tags include <paramref name="tags"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] tags) =>
        Points().Where(p => p.Name == name && tags.All(t => p.Tags.TryGetValue(t.Key, out string? v) && v == t.Value)).Sum(p => p.Value);

    public void Dispose()
    {
        _meters.Dispose();
        _tracer.Dispose();
    }
}
