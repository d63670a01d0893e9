using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace HostedTessera.Tests;

/// <summary>A user registers, signs in, calls the app's own endpoint and signs out, against the app's SQLite file.</summary>
public sealed class HostedTesseraTests(HostedApp app) : IClassFixture<HostedApp>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task AUserRegistersSignsInCallsTheAppAndSignsOut()
    {
        HttpClient browser = app.Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/hello")).StatusCode);

        await Expect(HttpStatusCode.Created, browser.PostAsJsonAsync("/auth/register", new { username = "alice", password = Password }));
        HttpResponseMessage signIn = await Expect(HttpStatusCode.OK, browser.PostAsJsonAsync("/auth/session", new { username = "alice", password = Password }));
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-tessera-session=", StringComparison.Ordinal));

        HttpResponseMessage hello = await Expect(HttpStatusCode.OK, browser.GetAsync("/hello"));
        JsonElement me = await (await Expect(HttpStatusCode.OK, browser.GetAsync("/auth/me"))).JsonAsync();
        Assert.Equal(me.GetProperty("user").GetProperty("id").GetString(), (await hello.JsonAsync()).GetProperty("hello").GetString());

        await Expect(HttpStatusCode.NoContent, browser.DeleteAsync("/auth/session"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/hello")).StatusCode);
        Assert.True(File.Exists(Path.Combine(app.DataFolder, "tessera.db")), "the users and sessions live in the app's SQLite file");
    }

    [Fact]
    public async Task AnAccessTokenReachesTheAppsEndpointToo()
    {
        HttpClient client = app.Browser();
        await Expect(HttpStatusCode.Created, client.PostAsJsonAsync("/auth/register", new { username = "bob", password = Password }));
        JsonElement tokens = await (await Expect(HttpStatusCode.OK, client.PostAsJsonAsync("/auth/token", new { username = "bob", password = Password }))).JsonAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using HttpClient bare = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        await Expect(HttpStatusCode.OK, bare.SendAsync(request));
    }

    private static async Task<HttpResponseMessage> Expect(HttpStatusCode status, Task<HttpResponseMessage> sending)
    {
        HttpResponseMessage response = await sending;
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return response;
    }
}

internal static class ResponseJson
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
