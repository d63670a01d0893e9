using System.Net;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;

namespace Tessera.Server.Tests.Admin;

/// <summary><c>GET /admin/keys</c> and <c>POST /admin/keys/rotate</c>: the ring's states and dates, and a rotation that takes.</summary>
public sealed class AdminKeyApiTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TheRingShowsTheKeyThatSignsAsCurrent()
    {
        AdminCaller admin = await _server.AdminAsync();

        JsonElement[] keys = Keys(await admin.GetAsync("/admin/keys").OkAsync());

        // Access tokens (ES256) and ID tokens (RS256 by default) each have a signing key.
        JsonElement current = Assert.Single(keys, k => k.GetProperty("state").GetString() == "current" && k.GetProperty("alg").GetString() == "ES256");
        Assert.Equal(TokenHttp.Part(admin.Token, 0).GetProperty("kid").GetString(), current.GetProperty("kid").GetString());
        Assert.True(current.GetProperty("published").GetBoolean());
        Assert.Equal(_server.Time.GetUtcNow(), current.GetProperty("createdAt").GetDateTimeOffset());
        Assert.All(keys, k => Assert.Equal("current", k.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task RotatingImmediatelyChangesTheCurrentKeyAndNewTokensUseIt()
    {
        AdminCaller admin = await _server.AdminAsync();
        string before = CurrentKid(await admin.GetAsync("/admin/keys").OkAsync());
        _server.Time.Advance(TimeSpan.FromMinutes(1));

        JsonElement rotated = await admin.PostAsync("/admin/keys/rotate", new { immediately = true }).OkAsync();

        string after = CurrentKid(rotated);
        Assert.NotEqual(before, after);
        JsonElement previous = Assert.Single(Keys(rotated), k => k.GetProperty("kid").GetString() == before);
        // It no longer signs, and stays published while the tokens it signed may live.
        Assert.Equal("retiring", previous.GetProperty("state").GetString());
        Assert.True(previous.GetProperty("published").GetBoolean());
        JsonElement pair = await admin.Client.SignInForTokensAsync("root");
        Assert.Equal(after, TokenHttp.Part(pair.Access(), 0).GetProperty("kid").GetString());
        // The old token still verifies.
        await (await admin.GetAsync("/admin/keys")).AssertOkJsonAsync();

        // Once every token the old key signed has expired, it leaves the JWKS: retired.
        _server.Time.Advance(TimeSpan.FromDays(1));
        JsonElement later = await admin.Client.GetWithBearerAsync("/admin/keys", (await admin.Client.SignInForTokensAsync("root")).Access()).OkAsync();
        Assert.Equal("retired", Assert.Single(Keys(later), k => k.GetProperty("kid").GetString() == before).GetProperty("state").GetString());
    }

    [Fact]
    public async Task RotatingByDefaultPublishesTheNextKeyBeforeItSigns()
    {
        AdminCaller admin = await _server.AdminAsync();
        string before = CurrentKid(await admin.GetAsync("/admin/keys").OkAsync());

        JsonElement rotated = await admin.PostAsync("/admin/keys/rotate").OkAsync();

        Assert.Equal(before, CurrentKid(rotated));
        JsonElement next = Assert.Single(Keys(rotated), k => k.GetProperty("state").GetString() == "next");
        Assert.True(next.GetProperty("published").GetBoolean());
        Assert.True(next.GetProperty("activatesAt").GetDateTimeOffset() > _server.Time.GetUtcNow());
        Assert.Equal("ES256", next.GetProperty("alg").GetString());
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("PS512")]
    [InlineData("none")]
    public async Task RotatingToAnAlgorithmTheServerDoesNotSignWithAnswers400(string alg)
    {
        AdminCaller admin = await _server.AdminAsync();
        int before = Keys(await admin.GetAsync("/admin/keys").OkAsync()).Length;

        await (await admin.PostAsync("/admin/keys/rotate", new { alg })).AssertProblemAsync(HttpStatusCode.BadRequest, TesseraErrorCodes.ValidationFailed);

        Assert.Equal(before, Keys(await admin.GetAsync("/admin/keys").OkAsync()).Length);
    }

    private static JsonElement[] Keys(JsonElement ring) => [.. ring.GetProperty("keys").EnumerateArray()];

    private static string CurrentKid(JsonElement ring) =>
        Assert.Single(Keys(ring), k => k.GetProperty("state").GetString() == "current" && k.GetProperty("alg").GetString() == "ES256").GetProperty("kid").GetString()!;
}
