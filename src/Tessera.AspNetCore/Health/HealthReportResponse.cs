using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.AspNetCore.Health;

/// <summary>The JSON answer of <c>/health/live</c> and <c>/health/ready</c>.</summary>
/// <param name="Status">The worst status of the checks run: <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c> (503).</param>
/// <param name="DurationMs">How long the checks took together, in milliseconds.</param>
/// <param name="Checks">Each check run, in registration order.</param>
public sealed record HealthReportResponse(string Status, double DurationMs, IReadOnlyList<HealthCheckResponse> Checks)
{
    internal static HealthReportResponse From(HealthReport report, IEnumerable<string> order)
    {
        List<HealthCheckResponse> checks = [];
        foreach (string name in order)
        {
            if (report.Entries.TryGetValue(name, out HealthReportEntry entry))
            {
                checks.Add(new HealthCheckResponse(name, entry.Status.ToString(), Math.Round(entry.Duration.TotalMilliseconds, 1), Reason(entry), [.. entry.Tags]));
            }
        }

        return new HealthReportResponse(report.Status.ToString(), Math.Round(report.TotalDuration.TotalMilliseconds, 1), checks);
    }

    // A check that threw gets the framework's description, the exception's message, which may carry
    // a driver's words (a host, a connection string); only its type is shown.
    private static string? Reason(HealthReportEntry entry) =>
        entry.Exception is { } ex ? $"The check failed ({ex.GetType().Name})." : entry.Description;
}

/// <summary>One check of a <see cref="HealthReportResponse"/>.</summary>
/// <param name="Name">The check's name: a store (<c>sqlite</c>, <c>postgres</c>, <c>redis</c>), <c>keyring</c>, or an application's own.</param>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="Reason">Why, in words for an operator; never a secret.</param>
/// <param name="Tags">Its tags (<c>live</c>, <c>ready</c>, <c>store</c>).</param>
public sealed record HealthCheckResponse(string Name, string Status, double DurationMs, string? Reason, IReadOnlyList<string> Tags);
