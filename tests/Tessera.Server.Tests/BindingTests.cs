using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests;

public sealed class BindingTests
{
    private static async Task<string> SignInFromAsync(TestServerFactory server, string ip, string agent)
    {
        HttpClient browser = server.CreateBrowser(ip, agent);
        await browser.RegisterAsync("alice");
        HttpResponseMessage response = await browser.PostJsonAsync("/auth/session", new { username = "alice", password = Http.Password });
        return Http.CookieValue(response.SetCookie()!);
    }

    private static Task<HttpResponseMessage> MeFromAsync(TestServerFactory server, string cookie, string ip, string agent)
    {
        HttpClient client = server.CreateBareClient(ip);
        HttpRequestMessage request = Http.WithCookie(HttpMethod.Get, "/auth/me", cookie);
        request.Headers.UserAgent.Clear();
        client.DefaultRequestHeaders.UserAgent.Clear();
        request.Headers.UserAgent.ParseAdd(agent);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task SessionBoundToTheAddressEndsWhenUsedFromAnother()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Sessions:BindTo"] = "ip" });
        string cookie = await SignInFromAsync(server, "198.51.100.7", "Laptop/1.0");
        Assert.Equal(HttpStatusCode.OK, (await MeFromAsync(server, cookie, "198.51.100.7", "Other/9")).StatusCode);

        HttpResponseMessage stolen = await MeFromAsync(server, cookie, "203.0.113.66", "Laptop/1.0");

        await stolen.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
        await (await MeFromAsync(server, cookie, "198.51.100.7", "Laptop/1.0")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task SessionBoundToTheAgentEndsWhenUsedByAnother()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?> { ["Tessera:Sessions:BindTo"] = "userAgent" });
        string cookie = await SignInFromAsync(server, "198.51.100.7", "Laptop/1.0");
        Assert.Equal(HttpStatusCode.OK, (await MeFromAsync(server, cookie, "203.0.113.66", "Laptop/1.0")).StatusCode);

        await (await MeFromAsync(server, cookie, "198.51.100.7", "curl/8.0")).AssertProblemAsync(HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task FlaggingBindingLetsTheRequestThroughAndShowsTheFlag()
    {
        using var server = new TestServerFactory(new Dictionary<string, string?>
        {
            ["Tessera:Sessions:BindTo"] = "both",
            ["Tessera:Sessions:OnBindingMismatch"] = "flag",
        });
        string cookie = await SignInFromAsync(server, "198.51.100.7", "Laptop/1.0");

        HttpResponseMessage elsewhere = await MeFromAsync(server, cookie, "203.0.113.66", "Laptop/1.0");

        JsonElement me = await elsewhere.AssertOkJsonAsync();
        Assert.True(me.GetProperty("session").GetProperty("flagged").GetBoolean());
    }

    [Fact]
    public async Task UnboundSessionRoamsFreely()
    {
        using var server = new TestServerFactory();
        string cookie = await SignInFromAsync(server, "198.51.100.7", "Laptop/1.0");

        JsonElement me = await (await MeFromAsync(server, cookie, "203.0.113.66", "Other/1.0")).AssertOkJsonAsync();

        Assert.False(me.GetProperty("session").GetProperty("flagged").GetBoolean());
    }
}
