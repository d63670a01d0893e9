using Microsoft.Data.Sqlite;
using StackExchange.Redis;
using Tessera.InMemory;
using Tessera.PostgreSql;
using Tessera.Redis;
using Tessera.Sessions;
using Tessera.Sqlite;

namespace Tessera.LoadBench;

/// <summary>
/// Memory per stored session: write N sessions through <see cref="SessionService"/> (real browser user
/// agents, IPv4 and IPv6 addresses, two sessions per user: <see cref="SessionMemoryClients"/>) and
/// divide the growth by N.
/// In process memory: the managed heap after a full collection, before and after. In Redis: INFO
/// memory's used_memory, before and after. In SQLite: the database file's size, before and after,
/// with the write-ahead log checkpointed into it; in PostgreSQL (when the run has a PostgreSQL row):
/// the database's size (#13 capacity).
/// </summary>
public static class SessionMemory
{
    public static async Task<IReadOnlyList<SessionMemoryResult>> MeasureAsync(int count, RedisForBench? redis, TextWriter log, CancellationToken cancellationToken) =>
        await MeasureAsync(count, redis, null, log, cancellationToken);

    /// <summary>As the other overload, and in <paramref name="postgres"/> (a database of its own) when given.</summary>
    public static async Task<IReadOnlyList<SessionMemoryResult>> MeasureAsync(int count, RedisForBench? redis, PostgresForBench? postgres, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var results = new List<SessionMemoryResult>();
        log.WriteLine($"memory per session: {count:N0} sessions in memory");
        results.Add(await InMemoryAsync(count, cancellationToken));
        log.WriteLine($"memory per session: {count:N0} sessions in SQLite");
        results.Add(await InSqliteAsync(count, cancellationToken));
        if (redis is not null)
        {
            log.WriteLine($"memory per session: {count:N0} sessions in Redis");
            results.Add(await InRedisAsync(count, redis, cancellationToken));
        }

        if (postgres is not null)
        {
            log.WriteLine($"memory per session: {count:N0} sessions in PostgreSQL");
            results.Add(await InPostgresAsync(count, postgres, cancellationToken));
        }

        return results;
    }

    private static async Task<SessionMemoryResult> InPostgresAsync(int count, PostgresForBench postgres, CancellationToken cancellationToken)
    {
        string connection = await postgres.CreateDatabaseAsync();
        await using var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connection }, TimeProvider.System);
        await database.MigrateAsync(TesseraPostgresSchema.Migrations, cancellationToken);
        var sessions = new SessionService(new PostgresSessionStore(database), new TesseraSessionOptions(), TimeProvider.System);
        long before = await postgres.DatabaseBytesAsync(connection, cancellationToken);
        await FillAsync(sessions, count, cancellationToken);
        long after = await postgres.DatabaseBytesAsync(connection, cancellationToken);
        return new SessionMemoryResult("PostgreSQL (PostgresSessionStore)", count, after - before, (after - before) / (double)count,
            "pg_database_size, before and after (sessions table and its indexes, on disk); " + SessionMemoryClients.Description);
    }

    private static async Task<SessionMemoryResult> InMemoryAsync(int count, CancellationToken cancellationToken)
    {
        var store = new InMemorySessionStore();
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        await FillAsync(sessions, count, cancellationToken);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store);
        return new SessionMemoryResult("in-memory (InMemorySessionStore)", count, after - before, (after - before) / (double)count,
            "managed heap after a full GC, before and after (GC.GetTotalMemory(true)); " + SessionMemoryClients.Description);
    }

    private static async Task<SessionMemoryResult> InSqliteAsync(int count, CancellationToken cancellationToken)
    {
        string folder = Directory.CreateTempSubdirectory("tessera-session-bytes-").FullName;
        try
        {
            // As the load target and AddTesseraSqlite open it: WAL, Tessera's schema and indexes.
            var database = new SqliteDatabase(Path.Combine(folder, "sessions.db"));
            await database.MigrateAsync(TesseraSqliteSchema.Migrations, cancellationToken);
            var sessions = new SessionService(new SqliteSessionStore(database), new TesseraSessionOptions(), TimeProvider.System);
            long before = await FileBytesAsync(database, cancellationToken);
            await FillAsync(sessions, count, cancellationToken);
            long after = await FileBytesAsync(database, cancellationToken);
            return new SessionMemoryResult("SQLite (SqliteSessionStore)", count, after - before, (after - before) / (double)count,
                "database file size on disk, before and after, the WAL checkpointed into it (record, secret-hash and per-user indexes); " + SessionMemoryClients.Description);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The main file's size once the write-ahead log is copied into it and truncated: what the sessions occupy on disk.</summary>
    private static async Task<long> FileBytesAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using (SqliteConnection connection = await database.OpenAsync(cancellationToken))
        {
            await using SqliteCommand checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        return new FileInfo(database.Path).Length;
    }

    private static async Task<SessionMemoryResult> InRedisAsync(int count, RedisForBench redis, CancellationToken cancellationToken)
    {
        using IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(redis.Configuration);
        // A key prefix of its own, so sessions of the load scenarios (same server) are not counted.
        var store = new RedisSessionStore(connection, new RedisSessionStoreOptions { KeyPrefix = "memory:" }, TimeProvider.System);
        var sessions = new SessionService(store, new TesseraSessionOptions(), TimeProvider.System);
        long before = await redis.UsedMemoryAsync();
        await FillAsync(sessions, count, cancellationToken);
        long after = await redis.UsedMemoryAsync();
        return new SessionMemoryResult("Redis (RedisSessionStore)", count, after - before, (after - before) / (double)count,
            "INFO memory used_memory, before and after (record, secret-hash index and per-user index keys); " + SessionMemoryClients.Description);
    }

    /// <summary>
    /// Signs <paramref name="count"/> sessions in, 32 at a time, with <see cref="SessionMemoryClients"/>'s
    /// real user agents (round-robin), IPv4 and IPv6 addresses and 128-bit user ids (two sessions per
    /// user); every string is a fresh copy, as a request would bring it. The secrets are dropped (only
    /// the store keeps state).
    /// </summary>
    public static Task FillAsync(SessionService sessions, int count, CancellationToken cancellationToken)
    {
        string[] users = SessionMemoryClients.UserIds(count);
        return Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var client = new SessionClient(SessionMemoryClients.ClientIp(i), SessionMemoryClients.UserAgent(i));
            await sessions.CreateAsync(new string(users[i / SessionMemoryClients.SessionsPerUser].AsSpan()), client, ct);
        });
    }
}
