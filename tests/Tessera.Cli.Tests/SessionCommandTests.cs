using System.Text.Json;
using Tessera.Audit;
using Tessera.Cli.Tests.Support;
using Tessera.Sessions;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera session list|end|end-all</c> against a real data folder.</summary>
public sealed class SessionCommandTests : IAsyncLifetime
{
    private static readonly SessionClient Client = new("192.0.2.1", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    private ServerDataFolder _data = null!;

    public async Task InitializeAsync() => _data = await ServerDataFolder.CreateAsync();

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListShowsDeviceAddressLastSeenModeAndTimes()
    {
        (string id, IssuedSession[] sessions) = await _data.AddSignedInUserAsync("alice", 2);

        string[] lines = (await CliRunner.SucceedAsync("session", "list", "alice", "--data", _data.Path)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement json = (await CliRunner.SucceedAsync("session", "list", "--json", "--data", _data.Path, "--", id)).Json();

        Assert.Equal(3, lines.Length);
        Assert.Matches("^SESSION ID +DEVICE +ADDRESS +LAST SEEN +MODE +CREATED +EXPIRES$", lines[0]);
        Assert.All(lines[1..], line => Assert.Matches(@"^\S+  Firefox on Linux  192\.0\.2\.\d  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  cookie  \S+Z  \S+Z$", line));
        Assert.Equal(sessions.Select(s => s.Session.Handle).Order(), json.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order());
    }

    [Fact]
    public async Task EndRevokesOneSessionAndAuditsIt()
    {
        (string id, IssuedSession[] sessions) = await _data.AddSignedInUserAsync("bob", 2);
        string handle = sessions[0].Session.Handle;

        CliResult ended = await CliRunner.SucceedAsync(new CliSetup { OperatorName = "root" }, "session", "end", "--data", _data.Path, "--", "bob", handle);

        Assert.Equal("Ended 1 session of 'bob'.\n", ended.Stdout);
        Assert.False((await _data.Sessions.ValidateAsync(sessions[0].Secret, Client, default)).Succeeded);
        Assert.True((await _data.Sessions.ValidateAsync(sessions[1].Secret, Client, default)).Succeeded);
        Assert.Equal(RevocationReasons.EndedByAdmin, (await _data.Sessions.FindByHandleAsync(handle, id, SessionKinds.Cookie, default))!.RevocationReason);
        AuditEvent audited = Assert.Single(await _data.AuditEventsAsync());
        Assert.Equal((AuditEventTypes.AdminAction, AuditActors.Cli, id, handle, "user.session.end by root"), (audited.Type, audited.ActorId, audited.UserId, audited.SessionId, audited.Detail));
    }

    [Fact]
    public async Task EndingASessionThatIsNotTheUsersFails()
    {
        (_, IssuedSession[] others) = await _data.AddSignedInUserAsync("carol", 1);
        await _data.AddSignedInUserAsync("dave", 1);

        CliRunner.AssertFailure(await CliRunner.RunAsync("session", "end", "--data", _data.Path, "--", "dave", others[0].Session.Handle), "session_not_found");
        CliRunner.AssertFailure(await CliRunner.RunAsync("session", "end", "dave", "no-such-session", "--data", _data.Path), "session_not_found");

        Assert.True((await _data.Sessions.ValidateAsync(others[0].Secret, Client, default)).Succeeded);
        Assert.Empty(await _data.AuditEventsAsync());
    }

    [Fact]
    public async Task EndAllRevokesEverySessionAndCountsThem()
    {
        (string id, IssuedSession[] sessions) = await _data.AddSignedInUserAsync("erin", 3);

        JsonElement json = (await CliRunner.SucceedAsync("session", "end-all", "erin", "--json", "--data", _data.Path)).Json();
        string again = (await CliRunner.SucceedAsync("session", "end-all", "erin", "--data", _data.Path)).Stdout;

        Assert.Equal(3, json.GetProperty("ended").GetInt32());
        Assert.Equal(id, json.GetProperty("userId").GetString());
        Assert.Equal("Ended 0 sessions of 'erin'.\n", again);
        foreach (IssuedSession issued in sessions)
        {
            Assert.False((await _data.Sessions.ValidateAsync(issued.Secret, Client, default)).Succeeded);
        }

        Assert.Equal(["user.sessions.end_all by operator", "user.sessions.end_all by operator"], (await _data.AuditEventsAsync()).Select(e => e.Detail));
        Assert.Equal("'erin' has no active sessions.\n", (await CliRunner.SucceedAsync("session", "list", "erin", "--data", _data.Path)).Stdout);
    }

    [Fact]
    public async Task AnUnknownUserIsAClearFailure()
    {
        CliRunner.AssertFailure(await CliRunner.RunAsync("session", "list", "nobody", "--data", _data.Path), "user_not_found");
        CliRunner.AssertFailure(await CliRunner.RunAsync("session", "end-all", "nobody", "--data", _data.Path), "user_not_found");
    }

    [Fact]
    public async Task ARedisPrefixWithoutRedisIsAUsageError()
    {
        await _data.AddUserAsync("gus");

        CliRunner.AssertUsageError(await CliRunner.RunAsync("session", "list", "gus", "--redis-prefix", "x:", "--data", _data.Path), "--redis-prefix is for the sessions in Redis: give --redis too");
    }

    [Fact]
    public async Task AnUnreachableRedisIsAClearFailure()
    {
        await _data.AddUserAsync("frank");
        int port = Testing.Servers.LoopbackPort.Free();

        CliResult result = await CliRunner.RunAsync("session", "list", "frank", "--data", _data.Path, "--redis", $"127.0.0.1:{port},connectTimeout=500");

        CliRunner.AssertFailure(result, "input_unreadable");
        Assert.Contains("the Redis at --redis cannot be reached", result.Stderr, StringComparison.Ordinal);
    }
}
