using Tessera.PostgreSql;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// The PostgreSQL session stores of the session-cookie rows (#13 capacity), built as
/// <c>AddTesseraPostgres</c> builds them: the plain store, or, with the change feed on, the store
/// announcing every change (<c>pg_notify</c> in the statement that makes it) behind the near cache
/// that the LISTEN side of the same feed invalidates, with <c>Tessera:Postgres:ChangeFeed</c> and
/// <c>Tessera:Postgres:NearCache</c>'s defaults.
/// </summary>
internal static class PostgresSessionStores
{
    public static async Task<ISessionStore> CreateAsync(TargetOptions options, bool nearCache)
    {
        var connection = new PostgresStoreOptions
        {
            ConnectionString = options.PostgresConnection ?? throw new ArgumentException("the PostgreSQL session scenarios need --postgres CONNECTION"),
        };
        var database = new PostgresDatabase(connection, TimeProvider.System);
        await database.MigrateAsync(TesseraPostgresSchema.Migrations, CancellationToken.None);
        if (!nearCache)
        {
            return new PostgresSessionStore(database);
        }

        var store = new PostgresSessionStore(database, announceChanges: true);
        var feed = new PostgresSessionChangeFeed(database, connection, new PostgresChangeFeedOptions { Enabled = true }, TimeProvider.System);
        return NearCachedSessionStore.Create(store, feed, new PostgresNearCacheOptions { Enabled = true }.ToSessionNearCacheOptions(), TimeProvider.System);
    }
}
