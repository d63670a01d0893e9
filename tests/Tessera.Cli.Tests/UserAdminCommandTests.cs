using System.Text.Json;
using Tessera.Audit;
using Tessera.Cli.Tests.Support;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera user list|show|lock|unlock|disable|enable|delete</c> against a real data folder.</summary>
public sealed class UserAdminCommandTests : IAsyncLifetime
{
    private ServerDataFolder _data = null!;

    public async Task InitializeAsync() => _data = await ServerDataFolder.CreateAsync();

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListShowsAnAlignedTableInUsernameOrder()
    {
        string bob = await _data.AddUserAsync("bob");
        string alice = await _data.AddUserAsync("Alice");
        await CliRunner.SucceedAsync("user", "roles", "alice", "--add", "admin", "--data", _data.Path);

        string[] lines = (await CliRunner.SucceedAsync("user", "list", "--data", _data.Path)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.Matches("^USERNAME  USER ID +CREATED +ROLES  STATUS$", lines[0]);
        Assert.Equal($"Alice     {alice}  1970-01-01T00:00:00Z  admin  active", lines[1]);
        Assert.Equal($"bob       {bob}  1970-01-01T00:00:00Z  -      active", lines[2]);
    }

    [Fact]
    public async Task ListSearchesAndPagesAndPrintsJson()
    {
        foreach (string name in new[] { "anna", "annabel", "bob", "joanne" })
        {
            await _data.AddUserAsync(name);
        }

        JsonElement first = (await CliRunner.SucceedAsync("user", "list", "--search", "ANN", "--limit", "2", "--json", "--data", _data.Path)).Json();
        JsonElement second = (await CliRunner.SucceedAsync("user", "list", "--search", "ann", "--limit", "2", "--after", first.GetProperty("next").GetString()!, "--json", "--data", _data.Path)).Json();
        string table = (await CliRunner.SucceedAsync("user", "list", "--limit", "3", "--data", _data.Path)).Stdout;

        Assert.Equal(["anna", "annabel"], first.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.Equal(["joanne"], second.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        JsonElement anna = first.GetProperty("users")[0];
        Assert.Equal(["id", "username", "createdAt", "roles", "disabledAt", "lockedUntil"], anna.EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("More users follow: --after bob (or --all).\n", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAllFollowsEveryPageWithAProgressCountOnATerminal()
    {
        for (int i = 0; i < 7; i++)
        {
            await _data.AddUserAsync($"user{i}");
        }

        CliResult onTerminal = await CliRunner.RunAsync(new CliSetup { ErrorIsTerminal = true }, "user", "list", "--all", "--limit", "3", "--json", "--data", _data.Path);
        CliResult piped = await CliRunner.RunAsync(new CliSetup(), "user", "list", "--all", "--limit", "3", "--data", _data.Path);

        Assert.Equal(ExitCodes.Ok, onTerminal.ExitCode);
        Assert.Equal(7, onTerminal.Json().GetProperty("users").GetArrayLength());
        Assert.Contains("\rusers listed: 3", onTerminal.Stderr, StringComparison.Ordinal);
        Assert.Contains("\rusers listed: 6", onTerminal.Stderr, StringComparison.Ordinal);
        Assert.Contains("\rusers listed: 7", onTerminal.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\r", onTerminal.Stderr, StringComparison.Ordinal);
        CliRunner.Succeeded(piped);
        Assert.Equal(8, piped.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task ShowGivesTheUserAndTheirActiveSessions()
    {
        (string id, IssuedSession[] sessions) = await _data.AddSignedInUserAsync("carol", 2);
        await _data.Sessions.RevokeAsync(sessions[0].Session.Handle, RevocationReasons.SignedOut, default);

        string text = (await CliRunner.SucceedAsync("user", "show", "--data", _data.Path, "--", id)).Stdout;
        JsonElement json = (await CliRunner.SucceedAsync("user", "show", "CAROL", "--json", "--data", _data.Path)).Json();

        Assert.Contains("SESSION ID", text, StringComparison.Ordinal);
        Assert.Contains(sessions[1].Session.Handle, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sessions[0].Session.Handle, text, StringComparison.Ordinal);
        Assert.Contains("Firefox on Linux", text, StringComparison.Ordinal);
        Assert.Equal(id, json.GetProperty("id").GetString());
        Assert.Equal(1, json.GetProperty("activeSessions").GetInt32());
        JsonElement session = json.GetProperty("sessions")[0];
        Assert.Equal(sessions[1].Session.Handle, session.GetProperty("id").GetString());
        Assert.Equal("192.0.2.2", session.GetProperty("ip").GetString());
        Assert.Equal("cookie", session.GetProperty("kind").GetString());
        Assert.DoesNotContain(sessions[1].Secret, text + json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdThatBeginsWithADashIsGivenAfterTheDoubleDash()
    {
        // One id in 64 begins with '-'; '-h…' would otherwise be read as --help.
        string id = await _data.AddUserAsync("lena", "-hQx3bW9fZ0ut2Yk1cN8Ag");

        JsonElement shown = (await CliRunner.SucceedAsync("user", "show", "--json", "--data", _data.Path, "--", id)).Json();
        CliResult disabled = await CliRunner.SucceedAsync("user", "disable", "--data", _data.Path, "--", id);

        Assert.Equal("lena", shown.GetProperty("username").GetString());
        Assert.Contains("disabled since", disabled.Stdout, StringComparison.Ordinal);
        Assert.NotNull((await _data.Users.FindByIdAsync(id, default))!.DisabledAt);
    }

    [Fact]
    public async Task LockUntilAnInstantOrForADurationAndUnlock()
    {
        string id = await _data.AddUserAsync("dave");

        JsonElement until = (await CliRunner.SucceedAsync("user", "lock", "dave", "--until", "2999-01-02T03:04:05Z", "--json", "--data", _data.Path)).Json();
        DateTimeOffset before = DateTimeOffset.UtcNow;
        string forTwoHours = (await CliRunner.SucceedAsync("user", "lock", "dave", "--until", "2h", "--data", _data.Path)).Stdout;
        DateTimeOffset twoHours = (await _data.Users.FindByIdAsync(id, default))!.LockedUntil!.Value;
        string indefinitely = (await CliRunner.SucceedAsync("user", "lock", "dave", "--data", _data.Path)).Stdout;
        JsonElement indefinitelyJson = (await CliRunner.SucceedAsync("user", "show", "dave", "--json", "--data", _data.Path)).Json();
        JsonElement unlocked = (await CliRunner.SucceedAsync("user", "unlock", "dave", "--json", "--data", _data.Path)).Json();

        Assert.Equal(new DateTimeOffset(2999, 1, 2, 3, 4, 5, TimeSpan.Zero), until.GetProperty("lockedUntil").GetDateTimeOffset());
        Assert.Contains("locked until 2", forTwoHours, StringComparison.Ordinal);
        Assert.InRange(twoHours, before.AddHours(2).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(2).AddSeconds(1));
        Assert.Contains("locked until unlocked", indefinitely, StringComparison.Ordinal);
        Assert.Equal("9999-12-31T23:59:59.9999999+00:00", indefinitelyJson.GetProperty("lockedUntil").GetString());
        Assert.Equal(JsonValueKind.Null, unlocked.GetProperty("lockedUntil").ValueKind);
        Assert.Null((await _data.Users.FindByIdAsync(id, default))!.LockedUntil);
    }

    [Theory]
    [InlineData("next tuesday", "--until: 'next tuesday' is not a time: expected an ISO-8601 date")]
    [InlineData("0h", "--until: '0h' is not a positive duration")]
    [InlineData("2000-01-01", "--until: 2000-01-01T00:00:00Z is not in the future")]
    public async Task ABadUntilIsAUsageErrorThatChangesNothing(string until, string message)
    {
        string id = await _data.AddUserAsync("erin");

        CliRunner.AssertUsageError(await CliRunner.RunAsync("user", "lock", "erin", "--until", until, "--data", _data.Path), message);

        Assert.Null((await _data.Users.FindByIdAsync(id, default))!.LockedUntil);
    }

    [Fact]
    public async Task DisableEndsEverySessionAndEnableLetsTheUserBackIn()
    {
        (string id, IssuedSession[] sessions) = await _data.AddSignedInUserAsync("frank", 3);

        JsonElement disabled = (await CliRunner.SucceedAsync(new CliSetup { OperatorName = "alice" }, "user", "disable", "frank", "--json", "--data", _data.Path)).Json();

        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        Assert.NotNull((await _data.Users.FindByIdAsync(id, default))!.DisabledAt);
        foreach (IssuedSession issued in sessions)
        {
            SessionValidation validation = await _data.Sessions.ValidateAsync(issued.Secret, new SessionClient("192.0.2.1", null), default);
            Assert.False(validation.Succeeded);
            SessionRecord stored = (await _data.Sessions.FindByHandleAsync(issued.Session.Handle, id, SessionKinds.Cookie, default))!;
            Assert.Equal(RevocationReasons.AccountDisabled, stored.RevocationReason);
        }

        AuditEvent audited = Assert.Single(await _data.AuditEventsAsync(new AuditQuery { Type = AuditEventTypes.AdminAction }));
        Assert.Equal(AuditActors.Cli, audited.ActorId);
        Assert.Equal(id, audited.UserId);
        Assert.Equal("user.disable by alice", audited.Detail);

        string enabled = (await CliRunner.SucceedAsync("user", "enable", "frank", "--data", _data.Path)).Stdout;
        Assert.EndsWith("  active\n", enabled, StringComparison.Ordinal);
        Assert.Null((await _data.Users.FindByIdAsync(id, default))!.DisabledAt);
        Assert.Equal(["user.enable by operator", "user.disable by alice"], (await _data.AuditEventsAsync()).Select(e => e.Detail));
    }

    [Fact]
    public async Task DeleteWithYesEndsTheSessionsAndFreesTheName()
    {
        (string id, IssuedSession[] sessions) = await _data.AddSignedInUserAsync("gina", 1);

        CliResult deleted = await CliRunner.SucceedAsync("user", "delete", "gina", "--yes", "--data", _data.Path);

        Assert.Equal($"Deleted the user 'gina' ({id}).\n", deleted.Stdout);
        Assert.Null(await _data.Users.FindByIdAsync(id, default));
        SessionRecord ended = (await _data.Sessions.FindByHandleAsync(sessions[0].Session.Handle, id, SessionKinds.Cookie, default))!;
        Assert.Equal(RevocationReasons.AccountDeleted, ended.RevocationReason);
        string again = await _data.AddUserAsync("Gina");
        Assert.NotEqual(id, again);
        AuditEvent audited = Assert.Single(await _data.AuditEventsAsync());
        Assert.Equal(("user.delete by operator", id, AuditActors.Cli), (audited.Detail, audited.UserId, audited.ActorId));
    }

    [Fact]
    public async Task DeleteAsksForTheUsernameOnATerminal()
    {
        string id = await _data.AddUserAsync("hank");

        CliResult wrong = await CliRunner.RunAsync(new CliSetup { InputIsTerminal = true, Stdin = "hnak\n" }, "user", "delete", "hank", "--data", _data.Path);
        Assert.NotNull(await _data.Users.FindByIdAsync(id, default));
        CliResult typed = await CliRunner.RunAsync(new CliSetup { InputIsTerminal = true, Stdin = "hank\n" }, "user", "delete", "--json", "--data", _data.Path, "--", id);

        Assert.Equal(ExitCodes.Failure, wrong.ExitCode);
        Assert.Contains("Type the username to confirm: error: not_confirmed: the name typed is not 'hank': nothing was deleted", wrong.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, typed.ExitCode);
        Assert.True(typed.Json().GetProperty("deleted").GetBoolean());
        Assert.Null(await _data.Users.FindByIdAsync(id, default));
    }

    [Fact]
    public async Task DeleteRefusesWithoutATerminalOrYes()
    {
        string id = await _data.AddUserAsync("ivan");

        CliRunner.AssertUsageError(await CliRunner.RunWithStdinAsync("ivan\n", "user", "delete", "ivan", "--data", _data.Path), "add --yes");

        Assert.NotNull(await _data.Users.FindByIdAsync(id, default));
        Assert.Empty(await _data.AuditEventsAsync());
    }

    [Fact]
    public async Task TheExecutableRefusesToDeleteWhenStdinIsNotATerminal()
    {
        string id = await _data.AddUserAsync("kim");

        // The real console: stdin is a pipe here, so the question cannot be asked.
        CliResult result = await TesseraProcess.RunAsync("kim\n", "user", "delete", "kim", "--data", _data.Path);

        CliRunner.AssertUsageError(result, "stdin is not a terminal: add --yes");
        Assert.NotNull(await _data.Users.FindByIdAsync(id, default));
    }

    [Theory]
    [InlineData("show")]
    [InlineData("lock")]
    [InlineData("unlock")]
    [InlineData("disable")]
    [InlineData("enable")]
    [InlineData("delete")]
    public async Task AnUnknownUserIsAClearFailure(string command)
    {
        string[] args = command == "delete" ? ["user", command, "nobody", "--yes", "--data", _data.Path] : ["user", command, "nobody", "--data", _data.Path];

        CliResult result = await CliRunner.RunAsync(args);

        CliRunner.AssertFailure(result, "user_not_found");
        Assert.Contains("'nobody'", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await _data.AuditEventsAsync());
    }

    [Fact]
    public async Task RoleChangesAreAudited()
    {
        string id = await _data.AddUserAsync("judy");

        await CliRunner.SucceedAsync("user", "roles", "judy", "--data", _data.Path);
        await CliRunner.SucceedAsync("user", "roles", "judy", "--add", "admin", "--data", _data.Path);

        AuditEvent audited = Assert.Single(await _data.AuditEventsAsync());
        Assert.Equal(("user.roles.set by operator", id), (audited.Detail, audited.UserId));
    }
}
