using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.PostgreSql.Tests;

/// <summary>The server goes away and comes back: calls fail with StoreUnavailableException meanwhile, then work again by themselves.</summary>
public sealed class OutageTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task StoresAreUnavailableWhilePostgresIsDownAndRecoverWhenItReturns()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var users = new PostgresUserStore(temporary.Database);
        var sessions = new PostgresSessionStore(temporary.Database);
        var alice = new UserRecord
        {
            Id = RandomIds.New128(),
            Username = "alice",
            NormalizedUsername = "alice",
            PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_000),
        };
        Assert.True(await users.TryCreateAsync(alice, None));
        // Several pooled connections, all of which the restart breaks.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await users.FindByIdAsync(alice.Id, None))));

        await server.StopAsync();
        try
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(async () => await users.FindByIdAsync(alice.Id, None));
            await Assert.ThrowsAsync<StoreUnavailableException>(async () => await sessions.FindByHandleAsync("x", None));
            await Assert.ThrowsAsync<StoreUnavailableException>(async () => await new PostgresHealthProbe(temporary.Database).ProbeAsync(None));
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Equal("alice", (await users.FindByIdAsync(alice.Id, None))?.Username);
        Assert.Empty(await sessions.ListActiveForUserAsync(alice.Id, alice.CreatedAt, None));
    }
}
