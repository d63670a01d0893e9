using Tessera.InMemory;
using Tessera.Users;

namespace Tessera.Tests.Users;

public sealed class UserRolesTests
{
    private readonly InMemoryUserStore _store = new();
    private readonly UserRoles _roles;

    public UserRolesTests() => _roles = new UserRoles(_store);

    [Fact]
    public async Task SetReplacesTheRolesWithoutDuplicates()
    {
        UserRecord alice = await AddAsync("Alice");

        UserRecord updated = (await _roles.SetAsync(alice.Id, ["admin", "billing", "admin"], default)).Value!;

        Assert.Equal(["admin", "billing"], updated.Roles);
        Assert.Equal(["admin", "billing"], (await _store.FindByIdAsync(alice.Id, default))!.Roles);
    }

    [Fact]
    public async Task ChangeAddsThenRemovesByUsername()
    {
        await AddAsync("Alice");
        await _roles.ChangeAsync("alice", ["a", "b"], [], default);

        UserRecord changed = (await _roles.ChangeAsync("ALICE", ["c"], ["a"], default)).Value!;

        Assert.Equal(["b", "c"], changed.Roles);
        Assert.Equal(["b", "c"], (await _roles.ChangeAsync("alice", [], [], default)).Value!.Roles);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("röle")]
    [InlineData("quote\"d")]
    public async Task InvalidRolesAreRefusedAndNothingChanges(string role)
    {
        UserRecord alice = await AddAsync("alice");

        Assert.Equal(TesseraErrorCodes.RoleInvalid, (await _roles.SetAsync(alice.Id, ["ok", role], default)).Error!.Code);
        Assert.Equal(TesseraErrorCodes.RoleInvalid, (await _roles.ChangeAsync("alice", [role], [], default)).Error!.Code);
        Assert.Empty((await _store.FindByIdAsync(alice.Id, default))!.Roles);
    }

    [Fact]
    public async Task AnUnknownUserIsNotFound()
    {
        Assert.Equal(TesseraErrorCodes.UserNotFound, (await _roles.SetAsync("nobody", ["a"], default)).Error!.Code);
        Assert.Equal(TesseraErrorCodes.UserNotFound, (await _roles.ChangeAsync("nobody", [], [], default)).Error!.Code);
    }

    private async Task<UserRecord> AddAsync(string username)
    {
        var user = new UserRecord
        {
            Id = RandomIds.New128(),
            Username = username,
            NormalizedUsername = UsernameRules.Normalize(username),
            PasswordHash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        Assert.True(await _store.TryCreateAsync(user, default));
        return user;
    }
}
