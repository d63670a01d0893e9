using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests.Health;

/// <summary>Reads the JSON of <c>/health/live</c> and <c>/health/ready</c>.</summary>
internal static class HealthReports
{
    // Not a performance bound: an answer slower than this means a probe hung.
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    /// <summary>Asserts the status code and the report's shape (status, duration, each check's name, status, duration, reason); returns the report.</summary>
    public static async Task<JsonElement> AssertReportAsync(this HttpResponseMessage response, HttpStatusCode status, string overall)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        JsonElement report = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(overall, report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("durationMs").GetDouble() >= 0);
        foreach (JsonElement check in report.GetProperty("checks").EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(check.GetProperty("name").GetString()));
            Assert.Contains(check.GetProperty("status").GetString(), new[] { "Healthy", "Degraded", "Unhealthy" });
            Assert.True(check.GetProperty("durationMs").GetDouble() >= 0);
            Assert.False(string.IsNullOrEmpty(check.GetProperty("reason").GetString()));
        }

        return report;
    }

    /// <summary>The check called <paramref name="name"/> in a report.</summary>
    public static JsonElement Check(this JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static string[] CheckNames(this JsonElement report) =>
        [.. report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    /// <summary>Asks <paramref name="path"/> until it answers 200 (a store reconnecting by itself), at most <see cref="HangLimit"/> × 3.</summary>
    public static async Task<HttpResponseMessage> EventuallyOkAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow + (HangLimit * 3);
        while (true)
        {
            HttpResponseMessage response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(250);
        }
    }
}
