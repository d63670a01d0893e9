using System.Net;
using Tessera.Server.BrowserConsole;

namespace Tessera.Server.Tests.Console;

/// <summary>
/// Issue #14 finding 10: the console (its page, credential report and teaching endpoints such as
/// the refresh-cookie theft simulation) is a teaching aid: off outside Development unless a
/// deployment turns it on with <c>Tessera:Console:Enabled=true</c>.
/// </summary>
public sealed class TeachingEndpointsTests
{
    [Fact]
    public async Task ProductionServesNoTeachingEndpointUnlessEnabled()
    {
        using TestServerFactory server = new(new Dictionary<string, string?> { ["Tessera:Console:Enabled"] = null });
        HttpClient browser = server.CreateBrowser();

        await (await browser.GetAsync(ConsoleEndpoints.SettingsPath)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await browser.GetAsync(ConsoleEndpoints.AccessTokenPath)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await browser.PostJsonAsync(ConsoleEndpoints.TheftPath, new { })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await browser.GetAsync("/")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("Production", "true")]
    [InlineData("Development", null)]
    public async Task DevelopmentOrAnExplicitSettingServesThem(string environment, string? enabled)
    {
        using TestServerFactory server = new(new Dictionary<string, string?> { ["Tessera:Console:Enabled"] = enabled }, environment: environment);
        HttpClient browser = server.CreateBrowser();

        await (await browser.GetAsync(ConsoleEndpoints.SettingsPath)).AssertOkJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        // Reached (and answered: there is no refresh cookie to steal), not 404.
        await (await browser.PostJsonAsync(ConsoleEndpoints.TheftPath, new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}
