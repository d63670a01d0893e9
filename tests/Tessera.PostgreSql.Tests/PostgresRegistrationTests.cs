using Microsoft.Extensions.DependencyInjection;
using Tessera.Passkeys;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

/// <summary>What <c>AddTesseraPostgres</c> registers for issue #16.</summary>
public sealed class PostgresRegistrationTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AddTesseraPostgresRegistersThePasskeyStoreOnItsDatabase()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server);
        var services = new ServiceCollection();
        services.AddTesseraPostgres(temporary.ConnectionString);

        // The last registration is the one resolved; it must be a singleton over the shared pool.
        ServiceDescriptor descriptor = services.Last(d => d.ServiceType == typeof(IPasskeyStore));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        IPasskeyStore store = Assert.IsType<PostgresPasskeyStore>(descriptor.ImplementationFactory!(new OnlyDatabase(temporary.Database)));

        Assert.True(await store.AddAsync(new PasskeyCredential
        {
            CredentialId = "AQID", UserId = "user-1", PublicKey = new byte[] { 1, 2, 3 }, SignCount = 0,
            BackupEligible = false, BackedUp = false, Name = "Key", CreatedAt = DateTimeOffset.UnixEpoch,
        }, CancellationToken.None));
        Assert.NotNull(await new PostgresPasskeyStore(temporary.Open()).FindAsync("AQID", CancellationToken.None));
    }

    private sealed class OnlyDatabase(PostgresDatabase database) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(PostgresDatabase) ? database : null;
    }
}
