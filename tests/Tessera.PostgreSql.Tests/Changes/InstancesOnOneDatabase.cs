using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// A temporary database and what a test opens for its server instances on it (feeds, near caches,
/// key rings): disposed after the test in the reverse order, then the database is dropped.
/// </summary>
internal sealed class InstancesOnOneDatabase : IAsyncDisposable
{
    private readonly List<object> _owned = [];

    private InstancesOnOneDatabase(TemporaryDatabase database) => Database = database;

    public TemporaryDatabase Database { get; }

    public static async Task<InstancesOnOneDatabase> CreateAsync(PostgresServer server) =>
        new(await TemporaryDatabase.CreateAsync(server));

    /// <summary>Disposes <paramref name="owned"/> after the test; returns it.</summary>
    public T Own<T>(T owned)
        where T : class
    {
        if (owned is not (IAsyncDisposable or IDisposable))
        {
            throw new ArgumentException($"{owned.GetType().Name} is not disposable.", nameof(owned));
        }

        _owned.Add(owned);
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (object owned in Enumerable.Reverse(_owned))
        {
            if (owned is IAsyncDisposable asynchronous)
            {
                await asynchronous.DisposeAsync();
            }
            else
            {
                ((IDisposable)owned).Dispose();
            }
        }

        _owned.Clear();
        await Database.DisposeAsync();
    }
}
