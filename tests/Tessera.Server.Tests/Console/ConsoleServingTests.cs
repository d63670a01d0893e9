using System.Net;
using System.Text.Json;
using Tessera.Server.BrowserConsole;

namespace Tessera.Server.Tests.Console;

/// <summary>The console's files, their headers, and the small endpoints it relies on.</summary>
public sealed class ConsoleServingTests : IDisposable
{
    private readonly TestServerFactory _server = new(new Dictionary<string, string?>
    {
        ["Tessera:Tokens:AccessTokenLifetime"] = "00:02:00",
        ["Tessera:Tokens:ReuseGraceWindow"] = "00:00:03",
        ["Tessera:Sessions:IdleTimeout"] = "00:20:00",
        ["Tessera:Console:Enabled"] = "true", // Production: off unless enabled
    });

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/console.css", "text/css")]
    [InlineData("/js/main.js", "text/javascript")]
    public async Task TheConsoleIsServedWithAStrictContentSecurityPolicy(string path, string mediaType)
    {
        HttpResponseMessage response = await _server.CreateBareClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        string csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(ConsoleStaticFiles.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task ThePageHasNoInlineScriptOrStyle()
    {
        string html = await _server.CreateBareClient().GetStringAsync("/");

        Assert.Contains("<script type=\"module\" src=\"js/main.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", html);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\sstyle=""", html);
        Assert.DoesNotMatch(@"\son[a-z]+=""", html);
    }

    [Fact]
    public async Task ADeploymentCanTurnTheConsoleOffEntirely()
    {
        // Even in Development, where it is on by default.
        using TestServerFactory server = new(new Dictionary<string, string?> { ["Tessera:Console:Enabled"] = "false" }, environment: "Development");
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice");
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        request.Headers.Add("Tessera-Console", "1");

        HttpResponseMessage me = await browser.SendAsync(request);

        await (await browser.GetAsync("/")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await browser.GetAsync("/js/main.js")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await browser.GetAsync("/console/settings")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await browser.PostJsonAsync("/auth/token/simulate-theft", new { })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode); // the API itself is untouched
        Assert.False(me.Headers.Contains("Tessera-Credentials"));
    }

    [Fact]
    public async Task AnUnknownFileIsAProblemNotAPage()
    {
        HttpResponseMessage response = await _server.CreateBareClient().GetAsync("/js/missing.js");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task SettingsGiveTheLifetimesTheConsoleCountsDownWith()
    {
        JsonElement settings = await (await _server.CreateBareClient().GetAsync("/console/settings")).AssertOkJsonAsync();

        Assert.Equal(120, settings.GetProperty("accessTokenLifetimeSeconds").GetDouble());
        Assert.Equal(3, settings.GetProperty("reuseGraceWindowSeconds").GetDouble());
        Assert.Equal(1200, settings.GetProperty("sessionIdleTimeoutSeconds").GetDouble());
        Assert.Equal(43200, settings.GetProperty("sessionAbsoluteTimeoutSeconds").GetDouble());
        Assert.Equal(60, settings.GetProperty("sessionTouchIntervalSeconds").GetDouble());
        Assert.Equal("ES256", settings.GetProperty("tokenAlgorithm").GetString());
        Assert.Equal(6, settings.EnumerateObject().Count());
    }
}
