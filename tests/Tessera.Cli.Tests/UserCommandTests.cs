using System.Text.Json;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera user roles</c> against a real data folder.</summary>
public sealed class UserCommandTests : IAsyncLifetime
{
    private ServerDataFolder _data = null!;

    public async Task InitializeAsync() => _data = await ServerDataFolder.CreateAsync();

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RolesAreListedAddedAndRemoved()
    {
        string id = await _data.AddUserAsync("Alice");

        string before = (await CliRunner.SucceedAsync("user", "roles", "alice", "--data", _data.Path)).Stdout;
        JsonElement added = (await CliRunner.SucceedAsync("user", "roles", "alice", "--add", "admin", "--add", "billing", "--json", "--data", _data.Path)).Json();
        JsonElement removed = (await CliRunner.SucceedAsync("user", "roles", "ALICE", "--remove", "billing", "--add", "editor", "--json", "--data", _data.Path)).Json();
        string after = (await CliRunner.SucceedAsync("user", "roles", "alice", "--data", _data.Path)).Stdout;

        string[] lines = before.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^USERNAME  USER ID +ROLES$", lines[0]);
        Assert.Equal($"Alice     {id}  -", lines[1]);
        Assert.Equal(["admin", "billing"], added.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(id, removed.GetProperty("userId").GetString());
        Assert.Equal(["admin", "editor"], removed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.EndsWith("admin editor\n", after, StringComparison.Ordinal);
        Assert.Equal(["admin", "editor"], (await _data.Users.FindByIdAsync(id, default))!.Roles);
    }

    [Fact]
    public async Task AnUnknownUserFails()
    {
        CliRunner.AssertFailure(await CliRunner.RunAsync("user", "roles", "nobody", "--data", _data.Path), "user_not_found");
    }

    [Fact]
    public async Task AnInvalidRoleExitsTwoAndChangesNothing()
    {
        string id = await _data.AddUserAsync("alice");

        CliResult result = await CliRunner.RunAsync("user", "roles", "alice", "--add", "has space", "--data", _data.Path);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.StartsWith("error: role_invalid: ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty((await _data.Users.FindByIdAsync(id, default))!.Roles);
    }

    [Fact]
    public async Task TheExecutableGivesTheAdminRole()
    {
        string id = await _data.AddUserAsync("root");

        CliResult result = CliRunner.Succeeded(await TesseraProcess.RunAsync(null, "user", "roles", "root", "--add", "admin", "--json", "--data", _data.Path));

        Assert.Equal(["admin"], result.Json().GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["admin"], (await _data.Users.FindByIdAsync(id, default))!.Roles);
    }
}
