using Npgsql;
using Tessera.Stores.Conformance.Changes;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>Server instances on a test database, each with an announcing store and a feed of its own.</summary>
internal static class PostgresFeeds
{
    public static PostgresChangeFeedOptions Options => new() { Enabled = true };

    /// <summary>Another instance: its own pool (store and publishing) and its own listening connection.</summary>
    public static SessionChangeFeedInstance Open(TemporaryDatabase database, bool announce = true)
    {
        PostgresDatabase pool = database.Open();
        var feed = new PostgresSessionChangeFeed(pool, new PostgresStoreOptions { ConnectionString = database.ConnectionString }, Options);
        return new SessionChangeFeedInstance(new PostgresSessionStore(pool, announce), feed, feed.DisposeAsync);
    }

    /// <summary>Ends the feed's listening server process, as a failover or an administrator would; returns its pid.</summary>
    public static async Task<int> TerminateListenerAsync(TemporaryDatabase database, PostgresSessionChangeFeed feed)
    {
        int pid = feed.ListenerProcessId;
        Assert.NotEqual(0, pid);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand terminate = new("SELECT pg_terminate_backend(@pid);", connection);
        terminate.Parameters.AddWithValue("pid", pid);
        Assert.True((bool)(await terminate.ExecuteScalarAsync())!);
        return pid;
    }
}
