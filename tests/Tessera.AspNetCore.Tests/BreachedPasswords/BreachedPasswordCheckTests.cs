using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.BreachedPasswords;

namespace Tessera.AspNetCore.Tests.BreachedPasswords;

/// <summary>
/// The opt-in k-anonymity check (#14 finding 9) against a local range server: found, not found, a
/// padding entry, a hang past the timeout and a closed port. Only the 5-character prefix leaves.
/// </summary>
public sealed class BreachedPasswordCheckTests
{
    private const string Breached = "correct horse battery";
    private const string Clean = "a passphrase nobody leaked";

    [Fact]
    public async Task ABreachedPasswordIsFoundAndOnlyItsPrefixIsSent()
    {
        await using RangeServer server = await RangeServer.StartAsync([Breached]);

        Assert.Equal(BreachCheckResult.Found, await Check(server.BaseUrl).CheckAsync(Breached, CancellationToken.None));

        (string path, string query, string? padding) = Assert.Single(server.Requests);
        Assert.Equal("/range/" + RangeServer.Sha1(Breached)[..5], path);
        Assert.Equal("", query);
        Assert.Equal("true", padding);
    }

    [Fact]
    public async Task AnUnknownPasswordIsNotFound()
    {
        await using RangeServer server = await RangeServer.StartAsync([Breached]);

        Assert.Equal(BreachCheckResult.NotFound, await Check(server.BaseUrl).CheckAsync(Clean, CancellationToken.None));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task APaddingEntryWithCountZeroIsNotABreach()
    {
        await using RangeServer server = await RangeServer.StartAsync([], padded: [Clean]);

        Assert.Equal(BreachCheckResult.NotFound, await Check(server.BaseUrl).CheckAsync(Clean, CancellationToken.None));
    }

    [Fact]
    public async Task AServiceThatHangsIsUnavailableAfterTheTimeout()
    {
        await using RangeServer server = await RangeServer.StartAsync([Breached]);
        server.Hang = true;

        Assert.Equal(BreachCheckResult.Unavailable, await Check(server.BaseUrl, TimeSpan.FromMilliseconds(300)).CheckAsync(Breached, CancellationToken.None));
    }

    [Fact]
    public async Task AnAnswerCutShortIsUnavailableNotAnError()
    {
        // The connection drops mid-body: HttpIOException (an IOException), not an HttpRequestException.
        await using RangeServer server = await RangeServer.StartAsync([Breached]);
        server.CutShort = true;

        Assert.Equal(BreachCheckResult.Unavailable, await Check(server.BaseUrl).CheckAsync(Breached, CancellationToken.None));
    }

    [Fact]
    public async Task AnUnreachableServiceIsUnavailable()
    {
        Assert.Equal(BreachCheckResult.Unavailable, await Check(ClosedPort()).CheckAsync(Breached, CancellationToken.None));
    }

    [Fact]
    public async Task TheCheckIsOffUnlessEnabled()
    {
        await using RangeServer server = await RangeServer.StartAsync([Breached]);
        var options = new BreachedPasswordOptions { BaseUrl = server.BaseUrl };

        Assert.Equal(BreachCheckResult.NotFound, await Check(options).CheckAsync(Breached, CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("ftp://example.org/", 2)]
    [InlineData("https://example.org/?x=1", 2)]
    [InlineData("https://api.pwnedpasswords.com/", 0)]
    [InlineData("https://api.pwnedpasswords.com/", 31)]
    public void UnusableOptionsAreRefused(string baseUrl, int timeoutSeconds)
    {
        Assert.NotNull(new BreachedPasswordOptions { BaseUrl = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(timeoutSeconds) }.Problem());
    }

    internal static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private static BreachedPasswordCheck Check(Uri baseUrl, TimeSpan? timeout = null) =>
        Check(new BreachedPasswordOptions { Enabled = true, BaseUrl = baseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(10) });

    private static BreachedPasswordCheck Check(BreachedPasswordOptions options)
    {
        ServiceProvider services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return new BreachedPasswordCheck(services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), TimeProvider.System, NullLogger<BreachedPasswordCheck>.Instance);
    }
}
