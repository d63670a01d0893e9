using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Tests;

/// <summary>
/// Behind a reverse proxy every connection comes from the proxy. <c>Tessera:ForwardedHeaders</c>
/// says which proxies may name the client; nobody else's <c>X-Forwarded-*</c> is believed.
/// (Real nginx in front of the real process: Tessera.Cluster.Tests.)
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Proxy = "10.0.0.5";
    private const string Client = "203.0.113.7";

    private static TestServerFactory Start(params (string Key, string Value)[] settings) =>
        new(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static TestServerFactory StartBehindProxy(params (string Key, string Value)[] more) =>
        Start([("Tessera:ForwardedHeaders:KnownProxies:0", Proxy), .. more]);

    private static HttpClient Through(TestServerFactory server, string peer, string forwardedFor)
    {
        HttpClient client = server.CreateBrowser(peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static async Task<string?> SignedInAddressAsync(HttpClient client)
    {
        await client.RegisterAndSignInAsync("alice");
        JsonElement sessions = (await (await client.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");
        return Assert.Single(sessions.EnumerateArray()).GetProperty("ip").GetString();
    }

    [Fact]
    public async Task ForwardedForIsIgnoredWhenNoProxyIsConfigured()
    {
        using TestServerFactory server = Start();

        Assert.Equal(Proxy, await SignedInAddressAsync(Through(server, Proxy, Client)));
    }

    [Fact]
    public async Task ATrustedProxyPutsTheClientAddressInTheSessionList()
    {
        using TestServerFactory server = StartBehindProxy();

        Assert.Equal(Client, await SignedInAddressAsync(Through(server, Proxy, Client)));
    }

    [Fact]
    public async Task APeerThatIsNotAListedProxyCannotClaimAnotherAddress()
    {
        using TestServerFactory server = StartBehindProxy();

        Assert.Equal("10.0.0.9", await SignedInAddressAsync(Through(server, "10.0.0.9", Client)));
    }

    [Fact]
    public async Task AddressesTheClientWroteItselfAreNotBelieved()
    {
        using TestServerFactory server = StartBehindProxy();

        // The client sent "X-Forwarded-For: 198.51.100.66"; the proxy appended the address it saw.
        Assert.Equal(Client, await SignedInAddressAsync(Through(server, Proxy, $"198.51.100.66, {Client}")));
    }

    [Fact]
    public async Task AKnownNetworkTrustsEveryProxyInItsRangeThroughAChain()
    {
        using TestServerFactory server = Start(("Tessera:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8"));

        // Client → 10.1.1.1 → 10.2.2.2 → server: both hops are in the range.
        Assert.Equal(Client, await SignedInAddressAsync(Through(server, "10.2.2.2", $"{Client}, 10.1.1.1")));
    }

    [Theory]
    [InlineData(Proxy, "https://localhost")]
    [InlineData("10.0.0.9", "http://localhost")]
    public async Task ForwardedProtoFromATrustedProxyIsTheSchemeTheServerSees(string peer, string issuer)
    {
        // The scheme shows in the issuer only where it is taken from the request: Development without one configured.
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:ForwardedHeaders:KnownProxies:0"] = Proxy, ["Tessera:Tokens:Issuer"] = null, ["urls"] = "http://127.0.0.1:0" })
        {
            EnvironmentName = "Development",
        };
        HttpClient client = server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost") });
        client.DefaultRequestHeaders.Add(TestServerFactory.ClientIpHeader, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        JsonElement discovery = await (await client.GetAsync("/.well-known/openid-configuration")).AssertOkJsonAsync();

        Assert.Equal(issuer, discovery.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task SignInRateLimitsCountEachClientBehindTheProxySeparately()
    {
        using TestServerFactory server = StartBehindProxy(("Tessera:RateLimits:SignInPerClient:PermitLimit", "2"), ("Tessera:RateLimits:SignInPerClient:Window", "00:10:00"));
        HttpClient first = Through(server, Proxy, "198.51.100.1");
        await first.RegisterAsync("alice");
        for (int i = 0; i < 2; i++)
        {
            await first.PostJsonAsync("/auth/session", new { username = "alice", password = "wrong password" });
        }

        await (await first.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await (await Through(server, Proxy, "198.51.100.2").PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password })).AssertOkJsonAsync();
    }

    [Theory]
    [InlineData("Tessera:ForwardedHeaders:KnownProxies:0", "10.0.0.300")]
    [InlineData("Tessera:ForwardedHeaders:KnownProxies:0", "proxy.internal")]
    [InlineData("Tessera:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("Tessera:ForwardedHeaders:KnownNetworks:0", "10.0.0.1")]
    public async Task AnAddressThatDoesNotParseStopsTheStart(string key, string value)
    {
        Exception failure = await ConfigurationTests.StartupFailureAsync(key, value);

        var validation = Assert.IsType<OptionsValidationException>(failure, exactMatch: true);
        Assert.Contains("Tessera:ForwardedHeaders", string.Join(" ", validation.Failures), StringComparison.Ordinal);
    }
}
