using System.Diagnostics;
using Xunit.Abstractions;

namespace Tessera.Server.Tests.Telemetry;

/// <summary>
/// Not a test: the cost of telemetry on the cookie-session request path (<c>GET /auth/me</c> with a
/// session cookie, in process, SQLite), with nobody listening and with the in-memory exporter
/// taking Tessera's metrics and spans and ASP.NET Core's request spans. Runs only when asked
/// (docs/telemetry.md quotes it):
/// <c>TESSERA_MEASURE_TELEMETRY=1 dotnet test tests/Tessera.Server.Tests --filter "FullyQualifiedName~TelemetryCostMeasurement" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryCostMeasurement(ITestOutputHelper output)
{
    private const int Warmup = 500;
    private const int Requests = 5000;

    [MeasurementFact]
    public async Task CookieSessionRequestPathWithAndWithoutListeners()
    {
        using var server = new TestServerFactory();
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");

        // Interleaved rounds, so a neighbour's load on the machine falls on both alike.
        var quiet = new List<double>();
        var listened = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            quiet.Add(await MeanMicrosecondsAsync(browser));
            using (new TelemetryCapture())
            {
                listened.Add(await MeanMicrosecondsAsync(browser));
            }
        }

        output.WriteLine($"GET /auth/me (cookie session), {Requests} requests per round, mean per request:");
        output.WriteLine($"  no listener:          {string.Join(" / ", quiet.Select(v => $"{v:F0} µs"))} (best {quiet.Min():F0} µs)");
        output.WriteLine($"  in-memory exporter:   {string.Join(" / ", listened.Select(v => $"{v:F0} µs"))} (best {listened.Min():F0} µs)");
        Assert.All(quiet.Concat(listened), v => Assert.True(v > 0));
    }

    private static async Task<double> MeanMicrosecondsAsync(HttpClient browser)
    {
        for (int i = 0; i < Warmup; i++)
        {
            (await browser.GetAsync("/auth/me")).EnsureSuccessStatusCode();
        }

        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < Requests; i++)
        {
            (await browser.GetAsync("/auth/me")).EnsureSuccessStatusCode();
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / Requests;
    }

    /// <summary>Runs only with <c>TESSERA_MEASURE_TELEMETRY=1</c>: a measurement, not a check.</summary>
    private sealed class MeasurementFactAttribute : FactAttribute
    {
        public MeasurementFactAttribute()
        {
            if (Environment.GetEnvironmentVariable("TESSERA_MEASURE_TELEMETRY") != "1")
            {
                Skip = "A measurement: set TESSERA_MEASURE_TELEMETRY=1 to run it.";
            }
        }
    }
}
