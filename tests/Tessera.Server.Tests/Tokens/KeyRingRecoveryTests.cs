using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Keys;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Tokens;

/// <summary>
/// What happens when the key ring cannot be decrypted (Data Protection keys lost, or a key written
/// by an instance that does not share them), how `tessera key retire` mends it without losing a
/// session, and how the refresh secret rotates without breaking the grace answer.
/// </summary>
public sealed class KeyRingRecoveryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));
    // Starts at the real time: one test runs the real program (real clock) on a folder these servers wrote.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string Now => _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private TestServerFactory Server(IDictionary<string, string?>? settings = null) => new(settings, dataDirectory: _folder, time: _time);

    [Fact]
    public async Task LostDataProtectionKeysStopTheStartWithTheRemedyAndRetiringTheKeysLosesNoSession()
    {
        JsonElement pair;
        string oldKid;
        using (TestServerFactory first = Server())
        {
            pair = await first.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
            oldKid = TokenHttp.Part(pair.Access(), 0).GetProperty("kid").GetString()!;
        }

        Directory.Delete(Path.Combine(_folder, "keys"), recursive: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the first server's connections close (and checkpoint) before the copy

        // The real program, on a copy of that folder: it refuses to start, says why and what to do.
        await using (ServerProcess second = ServerProcess.Start(null, data => DataFolderCopy.Copy(_folder, data)))
        {
            Assert.Equal(2, await second.ExitCodeAsync());
            Assert.Contains("Tessera cannot start: the signing key", second.Errors, StringComparison.Ordinal);
            Assert.Contains("tessera key retire", second.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain(" at System.", second.Errors + second.Output, StringComparison.Ordinal);
        }

        var retired = await TesseraCli.RunAsync("key", "retire", "--unreadable", "--data", _folder, "--now", Now);

        Assert.True(retired.ExitCode == 0, retired.Stderr);
        string[] ids = [.. JsonDocument.Parse(retired.Stdout).RootElement.GetProperty("retired").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(3, ids.Length); // the signing keys (ES256, RS256) and the refresh secret
        Assert.Contains(oldKid, ids);
        using TestServerFactory third = Server();
        HttpClient client = third.CreateBareClient();
        // The session goes on: its refresh token is looked up by hash, the next one derived under a new secret.
        JsonElement next = await (await client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        Assert.NotEqual(oldKid, TokenHttp.Part(next.Access(), 0).GetProperty("kid").GetString());
        await (await client.GetWithBearerAsync("/auth/me", next.Access())).AssertOkJsonAsync();
        // Tokens the retired key signed verify until they expire: its public half stays published.
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task AKeyThisInstanceCannotDecryptAnswers503ForTokensOnlyUntilItIsRetired()
    {
        using TestServerFactory server = Server();
        HttpClient client = server.CreateBareClient();
        JsonElement pair = await client.RegisterAndSignInForTokensAsync("alice");
        string kid = TokenHttp.Part(pair.Access(), 0).GetProperty("kid").GetString()!;
        _time.Advance(TimeSpan.FromSeconds(2)); // the CLI's --now has whole seconds: past the first key's activation
        string foreignKid = await RotateWithForeignDataProtectionKeysAsync();
        _time.Advance(TimeSpan.FromMinutes(1)); // the server reads the ring again

        HttpResponseMessage refused = await client.PostJsonAsync("/auth/token", new { username = "alice", password = Http.Password });

        await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "key_ring_unavailable");
        Assert.Contains(foreignKid, await client.GetStringAsync("/.well-known/jwks.json"), StringComparison.Ordinal);
        await (await client.GetWithBearerAsync("/auth/me", pair.Access())).AssertOkJsonAsync();
        await server.CreateBrowser().SignInAsync("alice"); // cookie sessions need no signing key

        var retired = await TesseraCli.RunAsync("key", "retire", "--unreadable", "--data", _folder, "--now", Now);
        Assert.True(retired.ExitCode == 0, retired.Stderr);
        Assert.Equal([foreignKid], JsonDocument.Parse(retired.Stdout).RootElement.GetProperty("retired").EnumerateArray().Select(e => e.GetString()));
        _time.Advance(TimeSpan.FromMinutes(1));

        JsonElement again = await client.SignInForTokensAsync("alice");
        Assert.Equal(kid, TokenHttp.Part(again.Access(), 0).GetProperty("kid").GetString());
    }

    [Fact]
    public async Task TheRefreshSecretRotatesAndAGraceAnswerDerivedUnderThePreviousOneStillHolds()
    {
        using TestServerFactory server = Server(new Dictionary<string, string?>
        {
            ["Tessera:Tokens:KeyRotationInterval"] = "02:00:00",
            ["Tessera:Tokens:KeyPublicationLead"] = "01:00:00",
            ["Tessera:Tokens:KeyRingRefreshInterval"] = "00:00:00",
            ["Tessera:Tokens:ReuseGraceWindow"] = "00:01:00",
        });
        HttpClient client = server.CreateBareClient();
        JsonElement first = await client.RegisterAndSignInForTokensAsync("alice");
        _time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(10));
        JsonElement second = await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync(); // derived under the first secret
        _time.Advance(TimeSpan.FromSeconds(20)); // the first secret is now due: the next ring read adds a second

        JsonElement grace = await (await client.RefreshAsync(first.Refresh())).AssertOkJsonAsync();
        JsonElement third = await (await client.RefreshAsync(second.Refresh())).AssertOkJsonAsync();

        Assert.Equal(second.Refresh(), grace.Refresh());
        await (await client.GetWithBearerAsync("/auth/me", third.Access())).AssertOkJsonAsync();
        var listed = await TesseraCli.RunAsync("key", "list", "--data", _folder, "--now", Now);
        Assert.Equal(["deriving", "previous"], JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("refreshSecrets").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AGraceRefreshOnAnInstanceThatHasNotSeenTheNewRefreshSecretYetIsNotCalledReuse()
    {
        Dictionary<string, string?> Settings(string rotation, string cache) => new()
        {
            ["Tessera:Tokens:KeyRotationInterval"] = rotation,
            ["Tessera:Tokens:KeyPublicationLead"] = "01:00:00",
            ["Tessera:Tokens:KeyRingRefreshInterval"] = cache,
            ["Tessera:Tokens:ReuseGraceWindow"] = "00:01:00",
        };

        // Two instances on one store. The second reads the ring rarely and has not seen the secret
        // the first adds: the state every instance is in for up to a minute after a rotation.
        using TestServerFactory first = Server(Settings("02:00:00", "00:00:00"));
        using TestServerFactory second = Server(Settings("04:00:00", "00:59:00"));
        JsonElement pair = await first.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
        _time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        await second.CreateBareClient().GetStringAsync("/.well-known/jwks.json"); // caches the ring with the first secret only

        JsonElement rotated = await (await first.CreateBareClient().RefreshAsync(pair.Refresh())).AssertOkJsonAsync(); // derived under a new secret
        JsonElement grace = await (await second.CreateBareClient().RefreshAsync(pair.Refresh())).AssertOkJsonAsync();

        Assert.Equal(rotated.Refresh(), grace.Refresh());
        await (await first.CreateBareClient().GetWithBearerAsync("/auth/me", grace.Access())).AssertOkJsonAsync();
    }

    /// <summary>
    /// Adds a signing key (signing at once) protected by Data Protection keys the server does not
    /// have, as an instance would that shares the database but not the key folder.
    /// </summary>
    private async Task<string> RotateWithForeignDataProtectionKeysAsync()
    {
        string keys = Path.Combine(_folder, "keys");
        string ours = keys + ".ours";
        Directory.Move(keys, ours);
        try
        {
            var rotated = await TesseraCli.RunAsync("key", "rotate", "--data", _folder, "--lead", "0s", "--now", Now);
            Assert.True(rotated.ExitCode == 0, rotated.Stderr);
            return JsonDocument.Parse(rotated.Stdout).RootElement.GetProperty("kid").GetString()!;
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
            Directory.Move(ours, keys);
        }
    }
}
