using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Stores;

namespace Tessera.Server.Tests.Health;

/// <summary>Liveness and readiness on the SQLite server, with a store that can be made to fail or hang.</summary>
public sealed class HealthEndpointTests : IDisposable
{
    private readonly StoreOutage _outage = new();
    private readonly HangingProbe _hanging = new();
    private readonly TestServerFactory _server;

    public HealthEndpointTests() =>
        _server = new TestServerFactory(services: services =>
        {
            services.AddSingleton<IStoreHealthProbe>(new FailingHealthProbe(_outage));
            services.AddSingleton<IStoreHealthProbe>(_hanging);
        });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ReadinessNamesEveryStoreAndTheKeyRing()
    {
        JsonElement ready = await (await _server.CreateBrowser().GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");

        Assert.Equal(["sqlite", "simulated", "hanging", "keyring"], ready.CheckNames());
        Assert.All(ready.GetProperty("checks").EnumerateArray(), c => Assert.Equal("Healthy", c.GetProperty("status").GetString()));
        Assert.Contains("store", ready.Check("sqlite").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task LivenessAnswersWhileAStoreIsDownAndCallsNoStore()
    {
        _outage.Down = true;
        _hanging.Hang = true;

        JsonElement live = await (await _server.CreateBrowser().GetAsync("/health/live").WaitAsync(HealthReports.HangLimit)).AssertReportAsync(HttpStatusCode.OK, "Healthy");

        Assert.Empty(live.GetProperty("checks").EnumerateArray());
        Assert.Equal(0, _hanging.Calls);
    }

    [Fact]
    public async Task ReadinessIsUnavailableNamingTheStoreThatIsDownAndHealthyWhenItIsBack()
    {
        HttpClient client = _server.CreateBrowser();
        _outage.Down = true;

        JsonElement ready = await (await client.GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");

        JsonElement simulated = ready.Check("simulated");
        Assert.Equal("Unhealthy", simulated.GetProperty("status").GetString());
        Assert.Contains("simulated", simulated.GetProperty("reason").GetString());
        Assert.Equal("Healthy", ready.Check("sqlite").GetProperty("status").GetString());
        await (await client.GetAsync("/healthz")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");

        _outage.Down = false;
        await (await client.GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
    }

    [Fact]
    public async Task AHungStoreAnswersUnhealthyWithinTheTimeoutInsteadOfHanging()
    {
        _hanging.Hang = true;
        var clock = Stopwatch.StartNew();

        JsonElement ready = await (await _server.CreateBrowser().GetAsync("/health/ready").WaitAsync(HealthReports.HangLimit)).AssertReportAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");

        clock.Stop();
        Assert.Contains("within 5 s", ready.Check("hanging").GetProperty("reason").GetString());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4.5), $"answered after {clock.Elapsed}: the probe was not waited for");
        Assert.Equal("Healthy", ready.Check("sqlite").GetProperty("status").GetString());
    }

    /// <summary>A store that never answers while <see cref="Hang"/> is set, and ignores its cancellation token.</summary>
    private sealed class HangingProbe : IStoreHealthProbe
    {
        private int _calls;

        public bool Hang { get; set; }

        public int Calls => _calls;

        public string Name => "hanging";

        public ValueTask ProbeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Hang ? new ValueTask(new TaskCompletionSource().Task) : ValueTask.CompletedTask;
        }
    }
}
