using Microsoft.Extensions.DependencyInjection;
using Tessera.Passkeys;

namespace Tessera.Sqlite.Tests;

/// <summary>What <c>AddTesseraSqlite</c> registers for issue #16.</summary>
public sealed class SqliteRegistrationTests
{
    [Fact]
    public async Task AddTesseraSqliteRegistersThePasskeyStoreOnItsDatabase()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddTesseraSqlite(temporary.Database.Path);

        // The last registration is the one resolved; it must be a singleton over the shared database.
        ServiceDescriptor descriptor = services.Last(d => d.ServiceType == typeof(IPasskeyStore));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        IPasskeyStore store = Assert.IsType<SqlitePasskeyStore>(descriptor.ImplementationFactory!(new OnlyDatabase(temporary.Database)));

        Assert.True(await store.AddAsync(new PasskeyCredential
        {
            CredentialId = "AQID", UserId = "user-1", PublicKey = new byte[] { 1, 2, 3 }, SignCount = 0,
            BackupEligible = false, BackedUp = false, Name = "Key", CreatedAt = DateTimeOffset.UnixEpoch,
        }, CancellationToken.None));
        Assert.NotNull(await new SqlitePasskeyStore(temporary.Database).FindAsync("AQID", CancellationToken.None));
    }

    private sealed class OnlyDatabase(SqliteDatabase database) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(SqliteDatabase) ? database : null;
    }
}
