using Tessera.Passkeys;
using Tessera.Testing.Servers;
using Tessera.Users;

namespace Tessera.PostgreSql.Tests;

/// <summary>An account's passkeys go with it, in the same transaction: none is left to name a deleted user.</summary>
public sealed class PostgresAccountDeletionTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task DeletingAnAccountDeletesItsPasskeysAndNoOneElses()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var users = new PostgresUserStore(temporary.Database);
        var passkeys = new PostgresPasskeyStore(temporary.Database);
        await users.TryCreateAsync(User("alice-id", "alice"), None);
        await users.TryCreateAsync(User("bob-id", "bob"), None);
        await passkeys.AddAsync(Passkey("alice-1", "alice-id"), None);
        await passkeys.AddAsync(Passkey("alice-2", "alice-id"), None);
        await passkeys.AddAsync(Passkey("bob-1", "bob-id"), None);

        Assert.True(await ((IUserDirectory)users).DeleteAsync("alice-id", None));

        Assert.Null(await users.FindByIdAsync("alice-id", None));
        Assert.Empty(await passkeys.ListAsync("alice-id", None));
        Assert.Null(await passkeys.FindAsync("alice-1", None));
        Assert.Equal(["bob-1"], (await passkeys.ListAsync("bob-id", None)).Select(p => p.CredentialId));
        Assert.NotNull(await users.FindByIdAsync("bob-id", None));
    }

    [Fact]
    public async Task DeletingAnUnknownAccountIsFalseAndLeavesEveryPasskey()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var users = new PostgresUserStore(temporary.Database);
        var passkeys = new PostgresPasskeyStore(temporary.Database);
        await passkeys.AddAsync(Passkey("orphan-1", "ghost-id"), None);

        Assert.False(await ((IUserDirectory)users).DeleteAsync("someone-else", None));

        Assert.NotNull(await passkeys.FindAsync("orphan-1", None));
    }

    private static UserRecord User(string id, string name) => new()
    {
        Id = id,
        Username = name,
        NormalizedUsername = UsernameRules.Normalize(name),
        PasswordHash = UserRecord.NoPassword,
        CreatedAt = Now,
    };

    private static PasskeyCredential Passkey(string id, string userId) => new()
    {
        CredentialId = id,
        UserId = userId,
        PublicKey = new byte[] { 0xA5, 0x01, 0x02 },
        SignCount = 1,
        BackupEligible = false,
        BackedUp = false,
        Name = id,
        CreatedAt = Now,
    };
}
