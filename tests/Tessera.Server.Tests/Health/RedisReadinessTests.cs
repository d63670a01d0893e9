using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests.Health;

/// <summary>A real Redis (the session store) stops under the server: readiness is 503 naming it, liveness stays 200, and both are 200 when it is back.</summary>
public sealed class RedisReadinessTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private TestServerFactory? _server;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:SessionStore"] = "redis",
            ["Tessera:Redis:Configuration"] = _redis.Configuration,
            ["Tessera:Redis:KeyPrefix"] = $"health-test:{Guid.NewGuid():N}:",
        });
    }

    public async Task DisposeAsync()
    {
        _server?.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task ReadinessNamesRedisWhileItIsStoppedAndRecoversWhenItIsBack()
    {
        HttpClient client = _server!.CreateBareClient();
        JsonElement before = await (await client.GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
        Assert.Equal(["sqlite", "redis", "keyring"], before.CheckNames());

        await _redis.StopAsync();

        JsonElement during = await (await client.GetAsync("/health/ready").WaitAsync(HealthReports.HangLimit)).AssertReportAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");
        JsonElement redis = during.Check("redis");
        Assert.Equal("Unhealthy", redis.GetProperty("status").GetString());
        Assert.Contains("redis", redis.GetProperty("reason").GetString());
        Assert.Equal("Healthy", during.Check("sqlite").GetProperty("status").GetString());
        await (await client.GetAsync("/health/live")).AssertReportAsync(HttpStatusCode.OK, "Healthy");

        await _redis.StartAsync();

        await (await HealthReports.EventuallyOkAsync(client, "/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
    }
}
