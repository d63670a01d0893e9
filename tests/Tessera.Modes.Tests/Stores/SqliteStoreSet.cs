using Microsoft.Extensions.DependencyInjection;
using Tessera.Sqlite;

namespace Tessera.Modes.Tests.Stores;

/// <summary>SQLite through its public registration: a new database file per host in <paramref name="folder"/>, migrated at start.</summary>
public sealed class SqliteStoreSet(string folder) : StoreSet
{
    public override string Name => "sqlite";

    public override Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        services.AddTesseraSqlite(Path.Combine(folder, $"{Guid.NewGuid():N}.db"));
        return Task.FromResult<IAsyncDisposable?>(null);
    }
}
