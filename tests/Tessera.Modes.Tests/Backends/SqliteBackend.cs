using Microsoft.Data.Sqlite;
using Tessera.Modes.Tests.Stores;
using Tessera.Modes.Tests.Suites;

namespace Tessera.Modes.Tests.Backends;

/// <summary>SQLite: a database file per host in a temporary folder, deleted afterwards.</summary>
public sealed class SqliteHosts : HostPool
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-modes-sqlite-").FullName;

    public SqliteHosts() => Stores = new SqliteStoreSet(_folder);

    public override StoreSet Stores { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteFolder(_folder);
    }

    /// <summary>Deletes a folder of SQLite files once their pooled connections are closed; best effort (a temporary folder).</summary>
    internal static void DeleteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteHosts>
{
    public const string Name = "sqlite stores";
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSessionLifecycleTests(SqliteHosts hosts) : SessionLifecycleSuite(hosts);

[Collection(SqliteCollection.Name)]
public sealed class SqliteSignInTests(SqliteHosts hosts) : SignInSuite(hosts);
