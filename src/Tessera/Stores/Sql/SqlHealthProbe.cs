namespace Tessera.Stores.Sql;

/// <summary>Answers when a connection opens and a query on Tessera's tables runs.</summary>
public abstract class SqlHealthProbe : IStoreHealthProbe
{
    private readonly ISqlDatabase _database;

    /// <summary>A probe of <paramref name="database"/> reported as <paramref name="name"/> (<c>sqlite</c>, <c>postgres</c>).</summary>
    protected SqlHealthProbe(ISqlDatabase database, string name)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _database = database;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        await _database.RunAsync((connection, ct) => connection.Command("SELECT COUNT(*) FROM schema_migrations;").ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
}
