using System.Text.Json;
using Tessera.Audit;
using Tessera.Cli.Stores;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera audit list</c> against a real data folder.</summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private ServerDataFolder _data = null!;

    public async Task InitializeAsync() => _data = await ServerDataFolder.CreateAsync();

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListsNewestFirstWithFilters()
    {
        string alice = await _data.AddUserAsync("alice");
        string bob = await _data.AddUserAsync("bob");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await AppendAsync(new AuditEvent { At = now.AddDays(-3), Type = AuditEventTypes.SignInFailed, UserId = alice, Address = "192.0.2.9", Outcome = "invalid_credentials", Detail = "alice" });
        await AppendAsync(new AuditEvent { At = now.AddMinutes(-5), Type = AuditEventTypes.SignInSucceeded, ActorId = alice, UserId = alice, SessionId = "s1", Outcome = "ok" });
        await CliRunner.SucceedAsync("user", "disable", "bob", "--data", _data.Path);

        JsonElement all = (await CliRunner.SucceedAsync("audit", "list", "--json", "--data", _data.Path)).Json();
        JsonElement aboutAlice = (await CliRunner.SucceedAsync("audit", "list", "--user", "alice", "--since", "1d", "--json", "--data", _data.Path)).Json();
        JsonElement admin = (await CliRunner.SucceedAsync("audit", "list", "--type", "admin.action", "--json", "--data", _data.Path)).Json();
        JsonElement paged = (await CliRunner.SucceedAsync("audit", "list", "--limit", "2", "--json", "--data", _data.Path)).Json();
        string table = (await CliRunner.SucceedAsync("audit", "list", "--data", _data.Path)).Stdout;

        Assert.Equal(["admin.action", "signin.succeeded", "signin.failed"], all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["signin.succeeded"], aboutAlice.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        JsonElement disabled = Assert.Single(admin.GetProperty("events").EnumerateArray());
        Assert.Equal(("cli", bob, "user.disable by operator"), (disabled.GetProperty("actorId").GetString(), disabled.GetProperty("userId").GetString(), disabled.GetProperty("detail").GetString()));
        Assert.Equal(2, paged.GetProperty("events").GetArrayLength());
        Assert.Equal(paged.GetProperty("events")[1].GetProperty("sequence").GetInt64(), paged.GetProperty("next").GetInt64());
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches("^SEQ +AT +TYPE +ACTOR +USER ID +SESSION ID +CLIENT +ADDRESS +OUTCOME +DETAIL$", lines[0]);
        Assert.Matches(@"^\d+ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  admin\.action +cli +", lines[1]);
        Assert.EndsWith("invalid_credentials  alice", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyLogAndABadSinceOrLimit()
    {
        Assert.Equal("No audit events.\n", (await CliRunner.SucceedAsync("audit", "list", "--data", _data.Path)).Stdout);
        CliRunner.AssertUsageError(await CliRunner.RunAsync("audit", "list", "--since", "yesterday", "--data", _data.Path), "--since: 'yesterday' is not a time");
        CliRunner.AssertUsageError(await CliRunner.RunAsync("audit", "list", "--limit", "0", "--data", _data.Path), "--limit must be 1 to 500");
    }

    [Fact]
    public async Task ControlCharactersInAnEventNeverReachTheTerminal()
    {
        // The name tried at a failed sign-in is the caller's text: an escape sequence or a newline in it stays inert.
        await AppendAsync(new AuditEvent { At = DateTimeOffset.UtcNow, Type = AuditEventTypes.SignInFailed, Outcome = "invalid_credentials", Detail = "eve\u001b[2J\nroot\u009b" });

        string table = (await CliRunner.SucceedAsync("audit", "list", "--data", _data.Path)).Stdout;
        JsonElement json = (await CliRunner.SucceedAsync("audit", "list", "--json", "--data", _data.Path)).Json();

        Assert.DoesNotContain(table, c => char.IsControl(c) && c != '\n');
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("invalid_credentials  eve\\u001B[2J\\u000Aroot\\u009B", lines[1], StringComparison.Ordinal);
        Assert.Equal("eve\u001b[2J\nroot\u009b", json.GetProperty("events")[0].GetProperty("detail").GetString());
    }

    private async Task AppendAsync(AuditEvent auditEvent)
    {
        await using ServerStoreAccess stores = await ServerStoreAccess.OpenFolderForAdministrationAsync(_data.Path, default);
        await stores.AuditLog.AppendAsync(auditEvent, default);
    }
}
