using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Tests;

/// <summary>The session cookie's options (Tessera:Cookie:*) and the 4096-byte budget of every Set-Cookie.</summary>
public sealed class CookieOptionsTests
{
    private static async Task<HttpResponseMessage> SignInAsync(TestServerFactory server, object body)
    {
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAsync("alice");
        return await browser.PostJsonAsync("/auth/session", body);
    }

    private static string[] Attributes(string setCookie) => [.. setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant())];

    [Fact]
    public async Task ByDefaultTheCookieIsLaxAndEndsWithTheBrowserEvenWhenTheUserAsksToBeRemembered()
    {
        using var server = new TestServerFactory();

        HttpResponseMessage response = await SignInAsync(server, new { username = "alice", password = Http.Password, rememberMe = true });

        string[] attributes = Attributes(response.SetCookie()!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("max-age", StringComparison.Ordinal) || a.StartsWith("expires", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Strict", "samesite=strict")]
    [InlineData("lax", "samesite=lax")]
    public async Task SameSiteIsConfigurable(string configured, string expected)
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Cookie:SameSite"] = configured });

        HttpResponseMessage response = await SignInAsync(server, new { username = "alice", password = Http.Password });

        Assert.Contains(expected, Attributes(response.SetCookie()!));
    }

    [Fact]
    public async Task SameSiteNoneIsSecureAndNeverSilent()
    {
        var capture = new LogCapture();
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Cookie:SameSite"] = "None" }, services =>
            services.AddLogging(logging => logging.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));

        HttpResponseMessage response = await SignInAsync(server, new { username = "alice", password = Http.Password });

        string[] attributes = Attributes(response.SetCookie()!);
        Assert.Contains("samesite=none", attributes);
        Assert.Contains("secure", attributes);
        Assert.Single(capture.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("SameSite=None", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RememberMeGivesAPersistentCookieOnlyToTheSignInThatAsks()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Cookie:RememberMe"] = "true" });
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage remembered = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password, rememberMe = true });
        HttpResponseMessage forgotten = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });

        // The session's absolute lifetime: 12 hours by default.
        Assert.Contains("max-age=43200", Attributes(remembered.SetCookie()!));
        Assert.DoesNotContain(Attributes(forgotten.SetCookie()!), a => a.StartsWith("max-age", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/me")).StatusCode);
    }

    [Theory]
    [InlineData("Tessera:Cookie:SameSite", "Sometimes")]
    [InlineData("Tessera:Cookie:SameSite", "Unspecified")]
    [InlineData("Tessera:Cookie:RememberMe", "maybe")]
    public async Task UnreadableCookieSettingStopsTheStartNamingTheKey(string key, string value)
    {
        Exception failure = await ConfigurationTests.StartupFailureAsync(key, value);

        Assert.IsType<InvalidOperationException>(failure);
        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACookieNameTooLongForABrowserToKeepStopsTheStart()
    {
        Exception failure = await ConfigurationTests.StartupFailureAsync("Tessera:Cookie:Name", "__Host-" + new string('n', 4060));

        Assert.IsType<InvalidOperationException>(failure);
        Assert.Contains("4096", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensTooLargeForACookieAreRefusedAndTheirSessionEnded()
    {
        // An issuer this long makes every access token pass 4096 bytes (iss travels in the token).
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Tokens:Issuer"] = "https://issuer.example/" + new string('i', 3500) });
        HttpClient browser = server.CreateBrowser();
        await browser.RegisterAsync("alice");

        HttpResponseMessage inCookies = await browser.PostJsonAsync("/auth/token?delivery=cookie", new { username = "alice", password = Http.Password });
        HttpResponseMessage inBody = await browser.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password });

        await inCookies.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "cookie_too_large");
        Assert.False(inCookies.Headers.Contains("Set-Cookie"));
        JsonElement tokens = await inBody.AssertOkJsonAsync();
        Assert.True(tokens.GetProperty("access_token").GetString()!.Length > 4096);
        // Only the session whose tokens were delivered is alive.
        await browser.SignInAsync("alice");
        JsonElement sessions = (await (await browser.GetAsync("/auth/sessions")).AssertOkJsonAsync()).GetProperty("sessions");
        Assert.Equal(2, sessions.GetArrayLength());
        Assert.Contains(sessions.EnumerateArray(), s => s.GetProperty("id").GetString() == tokens.GetProperty("session_id").GetString());
    }
}
