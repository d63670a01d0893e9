using Microsoft.Extensions.DependencyInjection;
using Tessera.Keys;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Users;

namespace Tessera.Modes.Tests.Stores;

/// <summary>
/// SQLite: a new database file per host in <paramref name="folder"/>, migrated, and the stores over it.
/// Wired by hand until <c>Tessera.Sqlite</c> has its public <c>AddTesseraSqlite(...)</c>; then this
/// class becomes that one call.
/// </summary>
public sealed class SqliteStoreSet(string folder) : StoreSet
{
    public override string Name => "sqlite";

    public override async Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        var database = new SqliteDatabase(Path.Combine(folder, $"{Guid.NewGuid():N}.db"), time: time);
        await database.MigrateAsync(TesseraSqliteSchema.Migrations, CancellationToken.None);
        services.AddSingleton(database);
        services.AddSingleton<IUserStore>(new SqliteUserStore(database));
        services.AddSingleton<ISessionStore>(new SqliteSessionStore(database));
        services.AddSingleton<ISigningKeyStore>(new SqliteSigningKeyStore(database));
        return null;
    }
}
