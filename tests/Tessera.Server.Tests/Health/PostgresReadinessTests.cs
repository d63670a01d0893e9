using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Postgres;

namespace Tessera.Server.Tests.Health;

/// <summary>A real PostgreSQL stops under the server: readiness is 503 naming it, liveness stays 200, and both are 200 when it is back.</summary>
public sealed class PostgresReadinessTests(PostgresServer cluster) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ReadinessNamesPostgresWhileItIsStoppedAndRecoversWhenItIsBack()
    {
        using TestServerFactory server = await PostgresTestServer.StartAsync(cluster);
        HttpClient client = server.CreateBareClient();
        JsonElement before = await (await client.GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
        Assert.Equal(["postgres", "keyring"], before.CheckNames());

        await cluster.StopAsync();
        try
        {
            JsonElement during = await (await client.GetAsync("/health/ready").WaitAsync(HealthReports.HangLimit)).AssertReportAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");
            JsonElement postgres = during.Check("postgres");
            Assert.Equal("Unhealthy", postgres.GetProperty("status").GetString());
            Assert.Contains("postgres", postgres.GetProperty("reason").GetString());
            await (await client.GetAsync("/health/live")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
        }
        finally
        {
            await cluster.StartAsync();
        }

        await (await HealthReports.EventuallyOkAsync(client, "/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
    }
}
