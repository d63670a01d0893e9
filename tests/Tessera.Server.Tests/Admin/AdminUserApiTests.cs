using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary><c>GET /admin/users</c> (search, pages) and <c>GET /admin/users/{id}</c>, and their bad inputs.</summary>
public sealed class AdminUserApiTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task UsersAreListedInNameOrderPageByPage()
    {
        AdminCaller admin = await _server.AdminAsync("root");
        foreach (string name in new[] { "carol", "Alice", "bob", "dave" })
        {
            await admin.Client.RegisterAsync(name);
        }

        JsonElement first = await admin.GetAsync("/admin/users?limit=2").OkAsync();
        Assert.Equal(["Alice", "bob"], Names(first));
        string next = first.GetProperty("next").GetString()!;
        JsonElement second = await admin.GetAsync($"/admin/users?limit=2&after={next}").OkAsync();
        Assert.Equal(["carol", "dave"], Names(second));
        JsonElement last = await admin.GetAsync($"/admin/users?limit=2&after={second.GetProperty("next").GetString()}").OkAsync();
        Assert.Equal(["root"], Names(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);

        JsonElement root = last.GetProperty("users")[0];
        Assert.Equal(admin.Id, root.GetProperty("id").GetString());
        Assert.Equal(["admin"], root.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal(_server.Time.GetUtcNow(), root.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("disabledAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lockedUntil").ValueKind);
        Assert.False(root.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task SearchMatchesPartOfTheNameOrTheExactId()
    {
        AdminCaller admin = await _server.AdminAsync("root");
        string alice = await admin.Client.RegisterIdAsync("alice.smith");
        await admin.Client.RegisterAsync("bob");

        Assert.Equal(["alice.smith"], Names(await admin.GetAsync("/admin/users?search=SMI").OkAsync()));
        Assert.Equal(["alice.smith"], Names(await admin.GetAsync($"/admin/users?search={alice}").OkAsync()));
        Assert.Empty(Names(await admin.GetAsync("/admin/users?search=nobody").OkAsync()));
    }

    [Fact]
    public async Task OneUserShowsItsActiveSessions()
    {
        AdminCaller admin = await _server.AdminAsync("root");
        HttpClient alice = _server.CreateBareClient();
        string id = await alice.RegisterIdAsync("alice");
        await alice.SignInForTokensAsync("alice");
        await alice.SignInAsync("alice");

        JsonElement user = await admin.GetAsync($"/admin/users/{id}").OkAsync();

        Assert.Equal("alice", user.GetProperty("username").GetString());
        Assert.Equal(2, user.GetProperty("activeSessions").GetInt32());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("after=Not%20A%20Name", "after")]
    [InlineData("after=ALICE", "after")]
    public async Task ABadQueryValueAnswers400NamingIt(string query, string field)
    {
        AdminCaller admin = await _server.AdminAsync();

        JsonElement problem = await (await admin.GetAsync($"/admin/users?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, TesseraErrorCodes.ValidationFailed);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/sessions")]
    [InlineData("DELETE", "/sessions")]
    [InlineData("DELETE", "/sessions/some-session")]
    [InlineData("POST", "/lock")]
    [InlineData("POST", "/unlock")]
    [InlineData("POST", "/disable")]
    [InlineData("POST", "/enable")]
    [InlineData("DELETE", "")]
    public async Task AnUnknownUserAnswers404(string method, string suffix)
    {
        AdminCaller admin = await _server.AdminAsync();

        HttpResponseMessage response = await admin.SendAsync(new HttpMethod(method), $"/admin/users/nobody{suffix}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, TesseraErrorCodes.UserNotFound);
    }

    private static string[] Names(JsonElement page) => [.. page.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()!)];
}
