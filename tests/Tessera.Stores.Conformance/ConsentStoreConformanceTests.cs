using Tessera.OAuth;

namespace Tessera.Stores.Conformance;

/// <summary>What every <see cref="IConsentStore"/> must do; a backend's test project subclasses it.</summary>
public abstract class ConsentStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Granted = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private IConsentStore? _store;

    protected IConsentStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<IConsentStore> CreateStoreAsync();

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static Consent NewConsent(string userId, string clientId, params string[] scopes) =>
        new() { UserId = userId, ClientId = clientId, Scopes = scopes, GrantedAt = Granted };

    [Fact]
    public async Task ASavedConsentIsFoundWithEveryField()
    {
        await Store.SaveAsync(NewConsent("alice", "photo-app", "openid", "profile", "photos:read"), None);

        Consent? found = await Store.FindAsync("alice", "photo-app", None);

        Assert.NotNull(found);
        Assert.Equal("alice", found.UserId);
        Assert.Equal("photo-app", found.ClientId);
        Assert.Equal(["openid", "profile", "photos:read"], found.Scopes);
        Assert.Equal(Granted, found.GrantedAt);
    }

    [Fact]
    public async Task AConsentIsPerUserAndClient()
    {
        await Store.SaveAsync(NewConsent("alice", "photo-app", "openid"), None);

        Assert.Null(await Store.FindAsync("bob", "photo-app", None));
        Assert.Null(await Store.FindAsync("alice", "other-app", None));
        Assert.Null(await Store.FindAsync("Alice", "photo-app", None));
    }

    [Fact]
    public async Task SavingAgainReplacesTheScopesAndTime()
    {
        await Store.SaveAsync(NewConsent("alice", "photo-app", "openid"), None);

        await Store.SaveAsync(NewConsent("alice", "photo-app", "openid", "offline_access") with { GrantedAt = Granted.AddDays(1) }, None);

        Consent found = (await Store.FindAsync("alice", "photo-app", None))!;
        Assert.Equal(["openid", "offline_access"], found.Scopes);
        Assert.Equal(Granted.AddDays(1), found.GrantedAt);
        Assert.Single(await Store.ListAsync("alice", None));
    }

    [Fact]
    public async Task AConsentWithNoScopesRoundTrips()
    {
        await Store.SaveAsync(NewConsent("alice", "photo-app"), None);

        Assert.Empty((await Store.FindAsync("alice", "photo-app", None))!.Scopes);
    }

    [Fact]
    public async Task TheListHasOnlyTheUsersConsentsInByteOrderOfClientIds()
    {
        foreach (string client in new[] { "b-app", "B-app", "a-app" })
        {
            await Store.SaveAsync(NewConsent("alice", client, "openid"), None);
        }

        await Store.SaveAsync(NewConsent("bob", "c-app", "openid"), None);

        Assert.Equal(["B-app", "a-app", "b-app"], (await Store.ListAsync("alice", None)).Select(c => c.ClientId));
        Assert.Empty(await Store.ListAsync("carol", None));
    }

    [Fact]
    public async Task DeletingForgetsOneConsentOnly()
    {
        await Store.SaveAsync(NewConsent("alice", "photo-app", "openid"), None);
        await Store.SaveAsync(NewConsent("alice", "other-app", "openid"), None);
        await Store.SaveAsync(NewConsent("bob", "photo-app", "openid"), None);

        Assert.True(await Store.DeleteAsync("alice", "photo-app", None));
        Assert.False(await Store.DeleteAsync("alice", "photo-app", None));

        Assert.Null(await Store.FindAsync("alice", "photo-app", None));
        Assert.NotNull(await Store.FindAsync("alice", "other-app", None));
        Assert.NotNull(await Store.FindAsync("bob", "photo-app", None));
    }

    [Fact]
    public async Task CancelledCallsDoNotRun()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.SaveAsync(NewConsent("alice", "photo-app", "openid"), cancelled.Token));

        Assert.Null(await Store.FindAsync("alice", "photo-app", None));
    }
}
