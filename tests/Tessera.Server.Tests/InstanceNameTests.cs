using System.Net;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Tests;

/// <summary><c>Tessera:InstanceName</c> names the instance that answered, for load-balanced deployments.</summary>
public sealed class InstanceNameTests
{
    private const string Header = "X-Tessera-Instance";

    [Fact]
    public async Task NoHeaderUnlessANameIsConfigured()
    {
        using var server = new TestServerFactory();

        HttpResponseMessage response = await server.CreateBrowser().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains(Header));
    }

    [Fact]
    public async Task EveryResponseNamesTheInstanceErrorsIncluded()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:InstanceName"] = "tessera-b" });
        HttpClient browser = server.CreateBrowser();

        HttpResponseMessage ok = await browser.GetAsync("/healthz");
        HttpResponseMessage unauthorized = await browser.GetAsync("/auth/me");
        HttpResponseMessage notFound = await browser.GetAsync("/no/such/path");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.All([ok, unauthorized, notFound], r => Assert.Equal(["tessera-b"], r.Headers.GetValues(Header)));
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("ünïcode")]
    [InlineData("a-name-that-is-longer-than-sixty-four-characters-which-is-too-long-for-a-header")]
    public async Task ANameThatCannotBeAHeaderValueStopsTheStart(string name)
    {
        Exception failure = await ConfigurationTests.StartupFailureAsync("Tessera:InstanceName", name);

        var validation = Assert.IsType<OptionsValidationException>(failure, exactMatch: true);
        Assert.Contains("Tessera:InstanceName", string.Join(" ", validation.Failures), StringComparison.Ordinal);
    }
}
