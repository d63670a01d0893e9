namespace Tessera.Sqlite;

/// <summary>What <see cref="TesseraSqliteServiceCollectionExtensions.AddTesseraSqlite(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{TesseraSqliteOptions})"/> sets up.</summary>
public sealed class TesseraSqliteOptions
{
    /// <summary>The database file (created with its folder at start when missing); see <see cref="UseDataFolder"/>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// An app's own migrations, applied after Tessera's by the same runner in one start-up step.
    /// Give them a module name of their own: each module keeps its own version number.
    /// </summary>
    public IList<SqliteMigration> AdditionalMigrations { get; } = [];

    /// <summary>Keeps the database in a Tessera data folder (<see cref="TesseraDataFolder.DatabasePath"/>).</summary>
    public TesseraSqliteOptions UseDataFolder(TesseraDataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        DatabasePath = folder.DatabasePath;
        return this;
    }
}
