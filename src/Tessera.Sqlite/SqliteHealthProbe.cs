using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>Answers when the file opens and a query on Tessera's tables runs.</summary>
public sealed class SqliteHealthProbe(SqliteDatabase database) : IStoreHealthProbe
{
    public string Name => "sqlite";

    public async ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("SELECT COUNT(*) FROM schema_migrations;").ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
}
