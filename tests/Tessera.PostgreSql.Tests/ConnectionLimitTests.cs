using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tessera.Stores;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests;

/// <summary>
/// PostgreSQL at its connection limit (SQLSTATE 53300: <c>max_connections</c>, or a role's or a
/// database's <c>CONNECTION LIMIT</c>) while this instance's own pooled connections are busy: a call
/// waits for one of them, within the connect timeout, instead of failing at once (found by the
/// load bench: six servers on one PostgreSQL, 503 store_unavailable on the token endpoint). A
/// database that never has a connection for this instance still fails, as unavailable, in bounded time.
/// A role's limit stands in for <c>max_connections</c>: the same refusal, without starving the other tests.
/// </summary>
public sealed class ConnectionLimitTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken None => CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // Run: the data-protection key ring's synchronous path shares RunAsync's wait at the limit.
    public async Task CallsBeyondTheConnectionLimitWaitForThisInstancesOwnConnections(bool synchronous)
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await using LimitedRole role = await LimitedRole.CreateAsync(temporary.ConnectionString, limit: 2);
        await using var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = role.ConnectionString, ConnectTimeout = TimeSpan.FromSeconds(20) });

        // Eight calls at once, each holding its connection a moment: PostgreSQL refuses a third connection.
        // A blocking call gets a thread of its own (not queued behind the others on the pool's few threads).
        int[] done = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => synchronous
            ? Task.Factory.StartNew(() => database.Run(Hold), None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Run(async () => await database.RunAsync(HoldAsync, None))));

        Assert.Equal(8, done.Sum());
    }

    // Long enough that a call which waited for it could not pass for one that failed at once.
    private static readonly TimeSpan LongConnectTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ABlockingCallAloneAtTheLimitFailsAtOnceAsUnavailable()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await using LimitedRole role = await LimitedRole.CreateAsync(temporary.ConnectionString, limit: 0);
        await using var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = role.ConnectionString, ConnectTimeout = LongConnectTimeout });
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        StoreUnavailableException refused = Assert.Throws<StoreUnavailableException>(() => database.Run(Hold));

        Assert.Equal(PostgresErrorCodes.TooManyConnections, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
        Assert.True(elapsed.Elapsed < LongConnectTimeout / 2, $"failed after {elapsed.Elapsed}, as if it had waited out the connect timeout");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallsRefusedTogetherWhileThisInstanceHoldsNoConnectionAllFailAtOnce(bool synchronous)
    {
        // Four calls refused at once, none holding a connection: nothing of this instance's will come back,
        // so none waits (each used to count the others' waits as connections in use, and all waited 30 s).
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await using LimitedRole role = await LimitedRole.CreateAsync(temporary.ConnectionString, limit: 0);
        await using var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = role.ConnectionString, ConnectTimeout = LongConnectTimeout });
        using var start = new Barrier(4);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        Task[] calls = [.. Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(async () =>
        {
            start.SignalAndWait();
            return synchronous ? database.Run(Hold) : await database.RunAsync(HoldAsync, None);
        }, None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())];

        foreach (Task call in calls)
        {
            StoreUnavailableException refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => call);
            Assert.Equal(PostgresErrorCodes.TooManyConnections, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
        }

        Assert.True(elapsed.Elapsed < LongConnectTimeout / 2, $"failed after {elapsed.Elapsed}, as if they had waited out the connect timeout");
    }

    [Fact]
    public async Task ADatabaseWithNoConnectionForThisInstanceIsUnavailable()
    {
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await using LimitedRole role = await LimitedRole.CreateAsync(temporary.ConnectionString, limit: 0);
        await using var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = role.ConnectionString, ConnectTimeout = TimeSpan.FromSeconds(1) });

        StoreUnavailableException refused = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await database.RunAsync(HoldAsync, None));

        Assert.Equal(PostgresErrorCodes.TooManyConnections, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
    }

    [Fact]
    public async Task ThePausedClockOfAnApplicationDoesNotStretchTheWaitPastTheConnectTimeout()
    {
        // The database's TimeProvider is the application's (a test's paused clock here): the wait at the
        // limit must still end within the connect timeout, while this instance's one connection is busy far longer.
        await using TemporaryDatabase temporary = await TemporaryDatabase.CreateAsync(server, migrate: false);
        await using LimitedRole role = await LimitedRole.CreateAsync(temporary.ConnectionString, limit: 1);
        await using var database = new PostgresDatabase(
            new PostgresStoreOptions { ConnectionString = role.ConnectionString, ConnectTimeout = TimeSpan.FromSeconds(1) },
            new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        using var release = new SemaphoreSlim(0);
        using var holding = new SemaphoreSlim(0);
        Task<int> holder = Task.Run(async () => await database.RunAsync(async (connection, ct) =>
        {
            holding.Release();
            await release.WaitAsync(ct);
            return 1;
        }, None));
        await holding.WaitAsync();

        // The busy connection comes back after 3 s of real time: a wait timed by the paused clock would get it and succeed.
        Task releaseLater = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => release.Release(), TaskScheduler.Default);
        StoreUnavailableException refused = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await database.RunAsync(HoldAsync, None));

        // The last retry may be cut off by the deadline (a timeout that carries the server's last refusal) or answered.
        PostgresException limit = refused.InnerException as PostgresException ?? Assert.IsType<PostgresException>(Assert.IsType<TimeoutException>(refused.InnerException).InnerException);
        Assert.Equal(PostgresErrorCodes.TooManyConnections, limit.SqlState);
        await releaseLater;
        Assert.Equal(1, await holder);
    }

    private static async ValueTask<int> HoldAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_sleep(0.1);", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return 1;
    }

    private static int Hold(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT pg_sleep(0.1);", connection);
        command.ExecuteNonQuery();
        return 1;
    }

    /// <summary>A login role allowed <c>limit</c> connections (roles are cluster-wide: a unique name, dropped afterwards).</summary>
    private sealed class LimitedRole : IAsyncDisposable
    {
        private readonly string _superuser;
        private readonly string _name;

        private LimitedRole(string superuser, string name)
        {
            _superuser = superuser;
            _name = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(superuser) { Username = name }.ConnectionString;
        }

        public string ConnectionString { get; }

        public static async Task<LimitedRole> CreateAsync(string superuser, int limit)
        {
            var role = new LimitedRole(superuser, "limited_" + Guid.NewGuid().ToString("N"));
            await role.ExecuteAsync($"CREATE ROLE {role._name} LOGIN CONNECTION LIMIT {limit};");
            return role;
        }

        public async ValueTask DisposeAsync()
        {
            // Only this role's pool: the tests' PostgresDatabase closed its own data source already, and
            // ClearAllPools would also close the pooled connections of other tests running in parallel.
            await using (var own = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(own);
            }

            await ExecuteAsync($"DROP ROLE IF EXISTS {_name};");
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_superuser) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
#pragma warning disable CA2100 // Statements built from a generated name and a number only.
            await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync();
        }
    }
}
