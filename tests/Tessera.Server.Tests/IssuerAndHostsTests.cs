using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests;

/// <summary>
/// Issue #14 finding 7: the issuer must not follow the Host header. Outside Development it is
/// required, and only its host (and the hosts listed in Tessera:AllowedHosts) is answered.
/// </summary>
public sealed class IssuerAndHostsTests
{
    private const string Discovery = "/.well-known/openid-configuration";

    [Fact]
    public async Task ProductionWithoutAnIssuerRefusesToStartAndNamesTheSetting()
    {
        // Listening anywhere but the default address, with no issuer configured.
        Exception failure = await ConfigurationTests.StartupFailureAsync("urls", "http://127.0.0.1:0");

        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("Tessera:Tokens:Issuer must be set outside Development", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRealServerExitsWithAPlainMessageWhenTheIssuerIsMissing()
    {
        string data = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using ServerProcess server = ServerProcess.Launch(data, ["--urls", "http://127.0.0.1:0"]);

            Assert.Equal(2, await server.ExitCodeAsync());
            Assert.Contains("Tessera:Tokens:Issuer must be set outside Development", server.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", server.Errors, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public async Task ARequestForAnotherHostIsRefusedAndDiscoveryNeverNamesIt()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = "https://auth.example.org", ["Tessera:AllowedHosts:0"] = null });
        HttpClient client = server.CreateClient(new() { BaseAddress = new Uri("https://auth.example.org") });

        var poisoned = new HttpRequestMessage(HttpMethod.Get, Discovery);
        poisoned.Headers.Host = "evil.example";
        HttpResponseMessage refused = await client.SendAsync(poisoned);
        HttpResponseMessage proper = await client.GetAsync(Discovery);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("evil.example", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        JsonElement document = await proper.AssertOkJsonAsync();
        Assert.Equal("https://auth.example.org", document.GetProperty("issuer").GetString());
        Assert.Equal("public, max-age=300", proper.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task HostsListedInTesseraAllowedHostsAreAnsweredWithTheConfiguredIssuer()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = "https://auth.example.org", ["Tessera:AllowedHosts:0"] = "internal.example" });
        HttpClient client = server.CreateClient(new() { BaseAddress = new Uri("https://internal.example") });

        JsonElement document = await (await client.GetAsync(Discovery)).AssertOkJsonAsync();

        Assert.Equal("https://auth.example.org", document.GetProperty("issuer").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.CreateClient(new() { BaseAddress = new Uri("https://localhost") }).GetAsync(Discovery)).StatusCode);
    }

    [Fact]
    public async Task AnOperatorsOwnAllowedHostsIsUsedAsWritten()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = "https://auth.example.org", ["AllowedHosts"] = "*.example.net" });

        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient(new() { BaseAddress = new Uri("https://a.example.net") }).GetAsync(Discovery)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.CreateClient(new() { BaseAddress = new Uri("https://auth.example.org") }).GetAsync(Discovery)).StatusCode);
    }

    [Fact]
    public async Task TheQuickStartListeningOnItsDefaultAddressHasThatAddressAsIssuer()
    {
        // Nothing says where to listen: the server takes http://127.0.0.1:5080 and knows its origin.
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = null, ["Tessera:AllowedHosts:0"] = null });

        JsonElement document = await (await server.CreateClient(new() { BaseAddress = new Uri("http://127.0.0.1:5080") }).GetAsync(Discovery)).AssertOkJsonAsync();
        var poisoned = new HttpRequestMessage(HttpMethod.Get, Discovery);
        poisoned.Headers.Host = "evil.example:5080";

        Assert.Equal("http://127.0.0.1:5080", document.GetProperty("issuer").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.CreateClient(new() { BaseAddress = new Uri("http://127.0.0.1:5080") }).SendAsync(poisoned)).StatusCode);
    }

    [Fact]
    public async Task DevelopmentWithoutAnIssuerFollowsTheRequestNeverCachesDiscoveryAndWarnsOnce()
    {
        var capture = new LogCapture();
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = null, ["urls"] = "http://127.0.0.1:0" },
            services => services.AddLogging(logging => logging.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)))
        {
            EnvironmentName = "Development",
        };
        HttpClient client = server.CreateClient(new() { BaseAddress = new Uri("https://dev.example") });

        HttpResponseMessage first = await client.GetAsync(Discovery);
        await client.GetAsync(Discovery);

        Assert.Equal("https://dev.example", (await first.AssertOkJsonAsync()).GetProperty("issuer").GetString());
        Assert.Equal("no-store", first.Headers.CacheControl?.ToString());
        Assert.Single(capture.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("Tessera:Tokens:Issuer is not set", StringComparison.Ordinal));
    }
}
