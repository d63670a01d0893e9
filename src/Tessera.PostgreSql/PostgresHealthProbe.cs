using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>Answers when a connection opens and a query on Tessera's tables runs.</summary>
public sealed class PostgresHealthProbe(PostgresDatabase database) : IStoreHealthProbe
{
    public string Name => "postgres";

    public async ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("SELECT COUNT(*) FROM schema_migrations;").ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
}
