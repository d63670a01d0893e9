using Tessera.Users;

namespace Tessera.Stores.Conformance;

/// <summary>What every <see cref="IUserStore"/> must do; a backend's test project subclasses it.</summary>
public abstract class UserStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private IUserStore? _store;

    protected IUserStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<IUserStore> CreateStoreAsync();

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static UserRecord NewUser(string username) => new()
    {
        Id = RandomIds.New128(),
        Username = username,
        NormalizedUsername = UsernameRules.Normalize(username),
        PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        CreatedAt = Created,
    };

    [Fact]
    public async Task CreatedUserIsFoundByIdAndByNormalizedNameWithEveryField()
    {
        UserRecord alice = NewUser("Alice");

        Assert.True(await Store.TryCreateAsync(alice, None));

        foreach (UserRecord? found in new[] { await Store.FindByIdAsync(alice.Id, None), await Store.FindByNormalizedUsernameAsync("alice", None) })
        {
            Assert.NotNull(found);
            Assert.Equal(alice.Id, found.Id);
            Assert.Equal("Alice", found.Username);
            Assert.Equal("alice", found.NormalizedUsername);
            Assert.Equal(alice.PasswordHash, found.PasswordHash);
            Assert.Equal(Created, found.CreatedAt);
            Assert.Equal(0, found.FailedSignInCount);
            Assert.Null(found.LockedUntil);
            Assert.Empty(found.Roles);
            Assert.Equal(UserRecord.CurrentFormatVersion, found.FormatVersion);
        }
    }

    [Fact]
    public async Task UnknownUserFindsNothing()
    {
        await Store.TryCreateAsync(NewUser("alice"), None);

        Assert.Null(await Store.FindByIdAsync("no-such-id", None));
        Assert.Null(await Store.FindByNormalizedUsernameAsync("bob", None));
    }

    [Fact]
    public async Task TakenNormalizedUsernameIsRefused()
    {
        Assert.True(await Store.TryCreateAsync(NewUser("alice"), None));

        Assert.False(await Store.TryCreateAsync(NewUser("ALICE"), None));
    }

    [Fact]
    public async Task ConcurrentRegistrationsOfOneNameHaveOneWinner()
    {
        bool[] results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(async () => await Store.TryCreateAsync(NewUser(i % 2 == 0 ? "carol" : "CAROL"), None))));

        Assert.Equal(1, results.Count(created => created));
    }

    [Fact]
    public async Task PasswordHashIsReplaced()
    {
        UserRecord alice = NewUser("alice");
        await Store.TryCreateAsync(alice, None);

        await Store.UpdatePasswordHashAsync(alice.Id, "$argon2id$v=19$m=65536,t=3,p=1$bmV3c2FsdG5ld3NhbHQ$bmV3aGFzaG5ld2hhc2huZXdoYXNo", None);

        Assert.Equal("$argon2id$v=19$m=65536,t=3,p=1$bmV3c2FsdG5ld3NhbHQ$bmV3aGFzaG5ld2hhc2huZXdoYXNo", (await Store.FindByIdAsync(alice.Id, None))!.PasswordHash);
    }

    [Fact]
    public async Task ConcurrentFailuresAreEachCounted()
    {
        UserRecord alice = NewUser("alice");
        await Store.TryCreateAsync(alice, None);

        int[] counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(async () => await Store.IncrementFailedSignInsAsync(alice.Id, None))));

        Assert.Equal(Enumerable.Range(1, 20), counts.Order());
        Assert.Equal(20, (await Store.FindByIdAsync(alice.Id, None))!.FailedSignInCount);
    }

    [Fact]
    public async Task LockoutStoresItsEndAndResetsTheFailureCount()
    {
        UserRecord alice = NewUser("alice");
        await Store.TryCreateAsync(alice, None);
        await Store.IncrementFailedSignInsAsync(alice.Id, None);
        await Store.IncrementFailedSignInsAsync(alice.Id, None);

        await Store.SetLockoutAsync(alice.Id, Created.AddMinutes(15), None);

        UserRecord locked = (await Store.FindByIdAsync(alice.Id, None))!;
        Assert.Equal(Created.AddMinutes(15), locked.LockedUntil);
        Assert.Equal(0, locked.FailedSignInCount);

        await Store.SetLockoutAsync(alice.Id, null, None);
        Assert.Null((await Store.FindByIdAsync(alice.Id, None))!.LockedUntil);
    }

    [Fact]
    public async Task CancelledCallsDoNotRun()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.TryCreateAsync(NewUser("alice"), cancelled.Token));

        Assert.Null(await Store.FindByNormalizedUsernameAsync("alice", None));
    }

    [Fact]
    public async Task RolesGivenAtCreationAreReadBackInOrderByEveryFind()
    {
        UserRecord alice = NewUser("alice") with { Roles = ["shop:admin", "auditor"] };

        Assert.True(await Store.TryCreateAsync(alice, None));

        Assert.Equal(["shop:admin", "auditor"], (await Store.FindByIdAsync(alice.Id, None))!.Roles);
        Assert.Equal(["shop:admin", "auditor"], (await Store.FindByNormalizedUsernameAsync("alice", None))!.Roles);
    }

    [Fact]
    public async Task SetRolesReplacesEveryRoleAndLeavesTheRestAlone()
    {
        UserRecord alice = NewUser("alice") with { Roles = ["auditor"] };
        UserRecord bob = NewUser("bob") with { Roles = ["auditor"] };
        await Store.TryCreateAsync(alice, None);
        await Store.TryCreateAsync(bob, None);

        Assert.True(await Store.SetRolesAsync(alice.Id, ["admin", "shop.orders-write"], None));

        UserRecord found = (await Store.FindByNormalizedUsernameAsync("alice", None))!;
        Assert.Equal(["admin", "shop.orders-write"], found.Roles);
        Assert.Equal(alice.PasswordHash, found.PasswordHash);
        Assert.Equal(["auditor"], (await Store.FindByIdAsync(bob.Id, None))!.Roles);

        Assert.True(await Store.SetRolesAsync(alice.Id, [], None));
        Assert.Empty((await Store.FindByIdAsync(alice.Id, None))!.Roles);
    }

    [Fact]
    public async Task SetRolesOfAnUnknownUserIsFalse()
    {
        Assert.False(await Store.SetRolesAsync("no-such-id", ["admin"], None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("quote\"")]
    [InlineData("back\\slash")]
    [InlineData("tab\t")]
    [InlineData("é")]
    public async Task AnInvalidRoleNameIsRefusedAndNothingChanges(string role)
    {
        UserRecord alice = NewUser("alice") with { Roles = ["auditor"] };
        await Store.TryCreateAsync(alice, None);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.SetRolesAsync(alice.Id, ["admin", role], None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.TryCreateAsync(NewUser("bob") with { Roles = [role] }, None));

        Assert.Equal(["auditor"], (await Store.FindByIdAsync(alice.Id, None))!.Roles);
        Assert.Null(await Store.FindByNormalizedUsernameAsync("bob", None));
    }

    [Fact]
    public async Task DuplicateOrTooLongRoleNamesAreRefused()
    {
        UserRecord alice = NewUser("alice");
        await Store.TryCreateAsync(alice, None);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.SetRolesAsync(alice.Id, ["admin", "admin"], None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.SetRolesAsync(alice.Id, [new string('r', RoleNames.MaximumLength + 1)], None));
        Assert.True(await Store.SetRolesAsync(alice.Id, [new string('r', RoleNames.MaximumLength)], None));
    }
}
