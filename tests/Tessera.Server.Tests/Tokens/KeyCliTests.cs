using System.Text.Json;

namespace Tessera.Server.Tests.Tokens;

/// <summary><c>tessera key list|rotate|retire --data DIR</c> against the data folder of a running server.</summary>
public sealed class KeyCliTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AKeyRotatedWithTheCliIsPublishedThenSignsWhileTheOldTokensStayValid()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement before = await client.RegisterAndSignInForTokensAsync("alice");
        string oldKid = TokenHttp.Part(before.Access(), 0).GetProperty("kid").GetString()!;
        string now = _server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var listed = await TesseraCli.RunAsync("key", "list", "--data", _server.DataDirectory, "--now", now);
        var rotated = await TesseraCli.RunAsync("key", "rotate", "--data", _server.DataDirectory, "--now", now, "--lead", "10m");

        Assert.True(listed.ExitCode == 0, listed.Stderr);
        // A key per algorithm, each signing: ES256 (access tokens, ID tokens) and RS256 (ID tokens).
        JsonElement[] listedKeys = [.. JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("keys").EnumerateArray()];
        Assert.Equal(["ES256", "RS256"], listedKeys.Select(k => k.GetProperty("alg").GetString()).Order(StringComparer.Ordinal));
        Assert.All(listedKeys, k => Assert.Equal("signing", k.GetProperty("status").GetString()));
        Assert.Equal(oldKid, Assert.Single(listedKeys, k => k.GetProperty("alg").GetString() == "ES256").GetProperty("kid").GetString());
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        JsonElement newKey = JsonDocument.Parse(rotated.Stdout).RootElement;
        Assert.False(newKey.TryGetProperty("d", out _));
        string newKid = newKey.GetProperty("kid").GetString()!;

        _server.Time.Advance(TimeSpan.FromMinutes(1)); // the server reads the ring again
        Assert.Contains(newKid, await client.GetStringAsync("/.well-known/jwks.json"), StringComparison.Ordinal);
        Assert.Equal(oldKid, TokenHttp.Part((await client.SignInForTokensAsync("alice")).Access(), 0).GetProperty("kid").GetString());

        _server.Time.Advance(TimeSpan.FromMinutes(9));
        JsonElement after = await client.SignInForTokensAsync("alice");
        Assert.Equal(newKid, TokenHttp.Part(after.Access(), 0).GetProperty("kid").GetString());
        await (await client.GetWithBearerAsync("/auth/me", after.Access())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task TheCliSaysSoWhenTheFolderHoldsNoDatabase()
    {
        var result = await TesseraCli.RunAsync("key", "list", "--data", Path.Combine(Path.GetTempPath(), "no-such-tessera-folder"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: input_unreadable:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetiredKeyStopsSigningAtOnceAndTheServerMakesANewOne()
    {
        HttpClient client = _server.CreateBareClient();
        JsonElement before = await client.RegisterAndSignInForTokensAsync("alice");
        string oldKid = TokenHttp.Part(before.Access(), 0).GetProperty("kid").GetString()!;
        string now = _server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var retired = await TesseraCli.RunAsync("key", "retire", oldKid, "--data", _server.DataDirectory, "--now", now);

        Assert.True(retired.ExitCode == 0, retired.Stderr);
        Assert.Equal([oldKid], JsonDocument.Parse(retired.Stdout).RootElement.GetProperty("retired").EnumerateArray().Select(e => e.GetString()));
        _server.Time.Advance(TimeSpan.FromMinutes(1)); // the server reads the ring again
        JsonElement after = await client.SignInForTokensAsync("alice");
        string newKid = TokenHttp.Part(after.Access(), 0).GetProperty("kid").GetString()!;
        Assert.NotEqual(oldKid, newKid);
        // The retired key stays published until its tokens expired: they still verify meanwhile.
        await (await client.GetWithBearerAsync("/auth/me", before.Access())).AssertOkJsonAsync();
        var listed = await TesseraCli.RunAsync("key", "list", "--data", _server.DataDirectory, "--now", now);
        JsonElement keys = JsonDocument.Parse(listed.Stdout).RootElement;
        Assert.Equal("retired", keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == oldKid).GetProperty("status").GetString());
        Assert.Equal("deriving", Assert.Single(keys.GetProperty("refreshSecrets").EnumerateArray()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(2, "key", "retire", "--data", "DIR")]
    [InlineData(2, "key", "retire", "some-kid", "--unreadable", "--data", "DIR")]
    [InlineData(1, "key", "retire", "no-such-kid", "--data", "DIR")]
    public async Task RetireNeedsExactlyOneKnownKeyOrTheSweep(int exitCode, params string[] args)
    {
        await _server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");

        var result = await TesseraCli.RunAsync([.. args.Select(a => a == "DIR" ? _server.DataDirectory : a)]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
    }
}
