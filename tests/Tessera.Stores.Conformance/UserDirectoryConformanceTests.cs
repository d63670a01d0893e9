using Microsoft.Extensions.Time.Testing;
using Tessera.Users;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every user store that is also an <see cref="IUserDirectory"/> must do (list, search,
/// disable, delete, and the administrator's lock); a backend's test project subclasses it.
/// </summary>
public abstract class UserDirectoryConformanceTests : IAsyncLifetime
{
    private IUserStore? _store;

    /// <summary>The clock of the records' times (whole milliseconds, as every backend keeps them).</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    protected IUserStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected IUserDirectory Directory => (IUserDirectory)Store;

    /// <summary>A new, empty store that implements <see cref="IUserDirectory"/>.</summary>
    protected abstract ValueTask<IUserStore> CreateStoreAsync();

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private UserRecord NewUser(string username) => new()
    {
        Id = RandomIds.New128(),
        Username = username,
        NormalizedUsername = UsernameRules.Normalize(username),
        PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        CreatedAt = Time.GetUtcNow(),
    };

    private async Task<UserRecord> CreateAsync(string username)
    {
        UserRecord user = NewUser(username);
        Assert.True(await Store.TryCreateAsync(user, None));
        return user;
    }

    private async Task<List<UserRecord>> ListAllAsync(string? search, int limit)
    {
        var all = new List<UserRecord>();
        string? after = null;
        for (int pages = 0; ; pages++)
        {
            Assert.True(pages < 100, "The pages never ended.");
            UserPage page = await Directory.ListAsync(new UserQuery { Search = search, After = after, Limit = limit }, None);
            Assert.True(page.Users.Count <= limit);
            all.AddRange(page.Users);
            if (page.Next is null)
            {
                return all;
            }

            Assert.Equal(page.Users[^1].NormalizedUsername, page.Next);
            after = page.Next;
        }
    }

    [Fact]
    public void TheStoreIsAUserDirectory() => Assert.IsAssignableFrom<IUserDirectory>(Store);

    [Fact]
    public async Task PagesCoverEveryUserExactlyOnceInNormalizedNameOrder()
    {
        // Names whose case, digits and punctuation would sort differently under a linguistic collation.
        string[] names = ["Zed", "alice", "Bob", "a.b", "a-b", "a_b", "a+b", "a@b.example", "carol9", "carol10", "CAROL1", "x_y", "dave", "0zero", "tilde"];
        foreach (string name in names)
        {
            await CreateAsync(name);
        }

        foreach (int limit in new[] { 1, 2, 3, 5, 50 })
        {
            List<UserRecord> all = await ListAllAsync(search: null, limit);
            string[] expected = [.. names.Select(UsernameRules.Normalize).Order(StringComparer.Ordinal)];
            Assert.Equal(expected, all.Select(user => user.NormalizedUsername));
        }
    }

    [Fact]
    public async Task ListedUsersCarryEveryField()
    {
        UserRecord alice = await CreateAsync("Alice");
        await Store.SetRolesAsync(alice.Id, ["admin"], None);
        DateTimeOffset disabledAt = Time.GetUtcNow().AddMinutes(5);
        await Directory.SetDisabledAsync(alice.Id, disabledAt, None);

        UserRecord listed = Assert.Single((await Directory.ListAsync(new UserQuery(), None)).Users);

        Assert.Equal(alice.Id, listed.Id);
        Assert.Equal("Alice", listed.Username);
        Assert.Equal("alice", listed.NormalizedUsername);
        Assert.Equal(alice.PasswordHash, listed.PasswordHash);
        Assert.Equal(alice.CreatedAt, listed.CreatedAt);
        Assert.Equal(["admin"], listed.Roles);
        Assert.Equal(disabledAt, listed.DisabledAt);
        Assert.Null(listed.LockedUntil);
    }

    [Fact]
    public async Task AnEmptyStoreListsNothing()
    {
        UserPage page = await Directory.ListAsync(new UserQuery(), None);

        Assert.Empty(page.Users);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task TheLimitIsClamped()
    {
        for (int i = 0; i < 3; i++)
        {
            await CreateAsync($"user{i}");
        }

        UserPage zero = await Directory.ListAsync(new UserQuery { Limit = 0 }, None);
        UserPage negative = await Directory.ListAsync(new UserQuery { Limit = -5 }, None);
        UserPage huge = await Directory.ListAsync(new UserQuery { Limit = int.MaxValue }, None);

        Assert.Equal("user0", Assert.Single(zero.Users).NormalizedUsername);
        Assert.Equal("user0", zero.Next);
        Assert.Single(negative.Users);
        Assert.Equal(3, huge.Users.Count);
        Assert.Null(huge.Next);
    }

    [Fact]
    public async Task ALimitOfExactlyTheRemainingUsersEndsThePaging()
    {
        await CreateAsync("alice");
        await CreateAsync("bob");

        UserPage page = await Directory.ListAsync(new UserQuery { Limit = 2 }, None);

        Assert.Equal(2, page.Users.Count);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task SearchFindsPartOfANormalizedName()
    {
        await CreateAsync("Alice");
        await CreateAsync("Malik");
        await CreateAsync("bob");
        await CreateAsync("ALINE");

        List<UserRecord> found = await ListAllAsync("li", limit: 1);

        Assert.Equal(["alice", "aline", "malik"], found.Select(user => user.NormalizedUsername));
        Assert.Equal(["bob"], (await ListAllAsync("bo", limit: 10)).Select(user => user.NormalizedUsername));
        Assert.Empty(await ListAllAsync("zz", limit: 10));
        Assert.Equal(4, (await ListAllAsync("", limit: 10)).Count);
    }

    [Fact]
    public async Task SearchIsCaseSensitiveOnTheNormalizedName()
    {
        // The caller normalizes the search text; the store matches it as given.
        await CreateAsync("Alice");

        Assert.Empty(await ListAllAsync("ALI", limit: 10));
        Assert.Single(await ListAllAsync("ali", limit: 10));
    }

    [Fact]
    public async Task SearchFindsAnExactId()
    {
        UserRecord alice = await CreateAsync("alice");
        await CreateAsync("bob");

        UserRecord found = Assert.Single(await ListAllAsync(alice.Id, limit: 10));
        Assert.Equal(alice.Id, found.Id);
    }

    [Fact]
    public async Task APartOfAnIdFindsNoUser()
    {
        var alice = NewUser("alice") with { Id = "ID-ABCDEFGHIJKLMNOP" };
        Assert.True(await Store.TryCreateAsync(alice, None));

        Assert.Empty(await ListAllAsync("ABCDEFGH", limit: 10));
        Assert.Single(await ListAllAsync("ID-ABCDEFGHIJKLMNOP", limit: 10));
    }

    [Fact]
    public async Task WildcardCharactersInASearchMatchOnlyThemselves()
    {
        await CreateAsync("a_b");
        await CreateAsync("axb");
        await CreateAsync("a.b");
        await CreateAsync("a+b");

        Assert.Equal(["a_b"], (await ListAllAsync("_", limit: 10)).Select(user => user.NormalizedUsername));
        Assert.Equal(["a_b"], (await ListAllAsync("a_b", limit: 10)).Select(user => user.NormalizedUsername));
        Assert.Empty(await ListAllAsync("%", limit: 10));
        Assert.Empty(await ListAllAsync("a%", limit: 10));
        Assert.Empty(await ListAllAsync("a\\", limit: 10));
        Assert.Equal(["a.b"], (await ListAllAsync(".", limit: 10)).Select(user => user.NormalizedUsername));
        Assert.Empty(await ListAllAsync("'", limit: 10));
    }

    [Fact]
    public async Task TheCursorCombinesWithASearch()
    {
        foreach (string name in new[] { "ann1", "bob", "ann2", "ann3", "carl" })
        {
            await CreateAsync(name);
        }

        UserPage page = await Directory.ListAsync(new UserQuery { Search = "ann", After = "ann1", Limit = 1 }, None);

        Assert.Equal("ann2", Assert.Single(page.Users).NormalizedUsername);
        Assert.Equal("ann2", page.Next);
    }

    [Fact]
    public async Task DisableAndEnableRoundTrip()
    {
        UserRecord alice = await CreateAsync("alice");
        DateTimeOffset disabledAt = Time.GetUtcNow();

        Assert.True(await Directory.SetDisabledAsync(alice.Id, disabledAt, None));
        Assert.Equal(disabledAt, (await Store.FindByIdAsync(alice.Id, None))!.DisabledAt);
        Assert.Equal(disabledAt, (await Store.FindByNormalizedUsernameAsync("alice", None))!.DisabledAt);

        Assert.True(await Directory.SetDisabledAsync(alice.Id, null, None));
        Assert.Null((await Store.FindByIdAsync(alice.Id, None))!.DisabledAt);
    }

    [Fact]
    public async Task AUserCreatedDisabledStaysDisabled()
    {
        UserRecord alice = NewUser("alice") with { DisabledAt = Time.GetUtcNow() };
        Assert.True(await Store.TryCreateAsync(alice, None));

        Assert.Equal(alice.DisabledAt, (await Store.FindByIdAsync(alice.Id, None))!.DisabledAt);
    }

    [Fact]
    public async Task DisablingLeavesTheOtherFieldsAndUsersAlone()
    {
        UserRecord alice = await CreateAsync("alice");
        UserRecord bob = await CreateAsync("bob");
        await Store.SetRolesAsync(alice.Id, ["admin"], None);

        await Directory.SetDisabledAsync(alice.Id, Time.GetUtcNow(), None);

        UserRecord stored = (await Store.FindByIdAsync(alice.Id, None))!;
        Assert.Equal(["admin"], stored.Roles);
        Assert.Equal(alice.PasswordHash, stored.PasswordHash);
        Assert.Null((await Store.FindByIdAsync(bob.Id, None))!.DisabledAt);
    }

    [Fact]
    public async Task AnAdministratorsLockRoundTripsIncludingUntilUnlocked()
    {
        UserRecord alice = await CreateAsync("alice");
        DateTimeOffset until = Time.GetUtcNow().AddHours(2);

        await Store.SetLockoutAsync(alice.Id, until, None);
        Assert.Equal(until, (await Store.FindByIdAsync(alice.Id, None))!.LockedUntil);

        await Store.SetLockoutAsync(alice.Id, DateTimeOffset.MaxValue, None);
        Assert.Equal(DateTimeOffset.MaxValue, (await Store.FindByIdAsync(alice.Id, None))!.LockedUntil);
        Assert.Equal(DateTimeOffset.MaxValue, Assert.Single((await Directory.ListAsync(new UserQuery(), None)).Users).LockedUntil);

        await Store.SetLockoutAsync(alice.Id, null, None);
        Assert.Null((await Store.FindByIdAsync(alice.Id, None))!.LockedUntil);
    }

    [Fact]
    public async Task DeleteRemovesTheUserAndFreesTheName()
    {
        UserRecord alice = await CreateAsync("alice");
        UserRecord bob = await CreateAsync("bob");

        Assert.True(await Directory.DeleteAsync(alice.Id, None));

        Assert.Null(await Store.FindByIdAsync(alice.Id, None));
        Assert.Null(await Store.FindByNormalizedUsernameAsync("alice", None));
        Assert.Equal(["bob"], (await ListAllAsync(null, limit: 10)).Select(user => user.NormalizedUsername));
        Assert.NotNull(await Store.FindByIdAsync(bob.Id, None));

        UserRecord again = NewUser("ALICE");
        Assert.True(await Store.TryCreateAsync(again, None));
        Assert.Equal(again.Id, (await Store.FindByNormalizedUsernameAsync("alice", None))!.Id);
    }

    [Fact]
    public async Task ASecondDeleteIsFalse()
    {
        UserRecord alice = await CreateAsync("alice");

        Assert.True(await Directory.DeleteAsync(alice.Id, None));
        Assert.False(await Directory.DeleteAsync(alice.Id, None));
    }

    [Fact]
    public async Task UnknownIdsAreFalse()
    {
        await CreateAsync("alice");

        Assert.False(await Directory.SetDisabledAsync("no-such-id", Time.GetUtcNow(), None));
        Assert.False(await Directory.SetDisabledAsync("no-such-id", null, None));
        Assert.False(await Directory.DeleteAsync("no-such-id", None));
        Assert.Null((await Store.FindByNormalizedUsernameAsync("alice", None))!.DisabledAt);
    }
}
