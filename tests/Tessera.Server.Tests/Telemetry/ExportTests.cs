using System.Collections.Concurrent;
using System.Net;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class PrometheusScrapeTests : IDisposable
{
    private readonly TestServerFactory _server = new(new Dictionary<string, string?> { ["Tessera:Telemetry:Prometheus:Enabled"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ALoopbackScrapeGetsTesseraMetricsInPrometheusFormat()
    {
        await _server.CreateBrowser().RegisterAndSignInAsync("alice");

        HttpResponseMessage scrape = await _server.CreateBareClient("127.0.0.1").GetAsync("/metrics");

        string body = await scrape.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("tessera_signin_attempts_total{", body, StringComparison.Ordinal);
        Assert.Contains("outcome=\"succeeded\"", body, StringComparison.Ordinal);
        Assert.Contains("tessera_store_duration_seconds_bucket{", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.1", null)]
    [InlineData("127.0.0.1", "X-Forwarded-For")]
    [InlineData("::1", "Forwarded")]
    public async Task AnyoneElseIsNotFound(string address, string? forwardingHeader)
    {
        HttpClient client = _server.CreateBareClient(address);
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (forwardingHeader is not null)
        {
            request.Headers.TryAddWithoutValidation(forwardingHeader, forwardingHeader == "Forwarded" ? "for=203.0.113.9" : "203.0.113.9");
        }

        HttpResponseMessage scrape = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
        Assert.DoesNotContain("tessera_", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheSettingThereIsNoScrapeEndpoint()
    {
        using var server = new TestServerFactory();
        HttpResponseMessage scrape = await server.CreateBareClient("127.0.0.1").GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task MetricsAndSpansArePostedToTheConfiguredOtlpReceiver()
    {
        using var receiver = new OtlpReceiver();
        using (var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:Telemetry:Otlp:Endpoint"] = receiver.Endpoint,
            ["Tessera:Telemetry:Otlp:MetricsInterval"] = "00:00:00.500",
        }))
        {
            await server.CreateBrowser().RegisterAndSignInAsync("alice");
            await receiver.WaitForAsync("/v1/metrics", TimeSpan.FromSeconds(30));
        }

        // Disposing the host flushes the batched spans.
        await receiver.WaitForAsync("/v1/traces", TimeSpan.FromSeconds(30));
        Assert.All(receiver.Posts, post => Assert.Equal("application/x-protobuf", post.ContentType));
        Assert.All(receiver.Posts, post => Assert.True(post.Length > 0));
        Assert.Contains(receiver.Posts, post => post.Path == "/v1/metrics" && post.Body.Contains("tessera.signin.attempts", StringComparison.Ordinal));
        Assert.Contains(receiver.Posts, post => post.Path == "/v1/traces" && post.Body.Contains("SqlUserStore.FindByNormalizedUsername", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Tessera:Telemetry:Otlp:Endpoint", "localhost:4318")]
    [InlineData("Tessera:Telemetry:Otlp:Protocol", "thrift")]
    public void ABadOtlpSettingStopsTheStartWithItsName(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["Tessera:Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:4318", [key] = value };
        using var server = new TestServerFactory(settings);
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => server.CreateClient());
        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A tiny OTLP/HTTP receiver on loopback: records every post (path, content type, body as Latin-1 text) and answers 200.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public OtlpReceiver()
        {
            int port = LoopbackPort.Free();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string Endpoint { get; }

        public ConcurrentQueue<(string Path, string? ContentType, int Length, string Body)> Posts { get; } = new();

        public async Task WaitForAsync(string path, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (!Posts.Any(p => p.Path == path))
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                byte[] bytes = body.ToArray();
                // Protobuf keeps strings as UTF-8 bytes: names of metrics and spans are readable as text.
                Posts.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, bytes.Length, System.Text.Encoding.Latin1.GetString(bytes)));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
