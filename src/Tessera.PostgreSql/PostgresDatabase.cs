using System.Data.Common;
using System.Diagnostics;
using Npgsql;
using Tessera.Stores;
using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// One PostgreSQL database shared by every instance of the server: a pooled
/// <see cref="NpgsqlDataSource"/> with short timeouts, and the schema migrations.
/// </summary>
public sealed class PostgresDatabase : ISqlDatabase, IAsyncDisposable, IDisposable
{
    // Between two attempts to open a connection PostgreSQL refused for its connection limit: short
    // at first (a call of this instance returns its connection within milliseconds), then capped.
    private static readonly TimeSpan FirstLimitWait = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestLimitWait = TimeSpan.FromMilliseconds(100);

    // A retry is a connect plus authentication (PostgreSQL checks the limit after it): one started with less
    // time left than this would be cut off by the deadline, a timeout instead of the server's own answer.
    private static readonly TimeSpan ShortestAttempt = TimeSpan.FromMilliseconds(50);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _connectTimeout;

    // This instance's calls (RunAsync and Run) holding a connection or opening their first: theirs come back to
    // the pool, so a call refused at the limit waits while there are any. A call is not counted while it waits
    // or retries, so two waiting calls never keep each other waiting.
    private int _busy;

    /// <summary>A pooled data source for <paramref name="options"/> (connection string, timeouts); <paramref name="time"/> dates the applied migrations (the system clock when null). Opens no connection until first used.</summary>
    public PostgresDatabase(PostgresStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        _time = time ?? TimeProvider.System;
        _connectTimeout = options.ConnectTimeout;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Timeout = WholeSeconds(options.ConnectTimeout),
            CommandTimeout = WholeSeconds(options.CommandTimeout),
        };
        DatabaseName = builder.Database ?? builder.Username ?? "postgres";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The database's name, for messages (never the connection string: it may hold a password).</summary>
    public string DatabaseName { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection. Npgsql failures (refused, broken or
    /// timed-out connections, a server shutting down) become <see cref="StoreUnavailableException"/>;
    /// a lost connection also empties the pool, so the next call after a restart starts afresh.
    /// Measured as the operation <paramref name="caller"/> of <paramref name="callerFile"/> (<see cref="Telemetry.StoreCall"/>; filled in by the compiler).
    /// </summary>
    public ValueTask<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string caller = "", [System.Runtime.CompilerServices.CallerFilePath] string callerFile = "")
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunCoreAsync(work, synchronous: false, caller, callerFile, cancellationToken);
    }

    /// <summary>
    /// The synchronous twin of <see cref="RunAsync{T}"/>, for callers that the framework calls
    /// synchronously (the data-protection key ring, <see cref="PostgresXmlRepository"/>): the same
    /// failures, telemetry and wait at the connection limit, on the calling thread.
    /// </summary>
    public T Run<T>(Func<NpgsqlConnection, T> work, [System.Runtime.CompilerServices.CallerMemberName] string caller = "", [System.Runtime.CompilerServices.CallerFilePath] string callerFile = "")
    {
        ArgumentNullException.ThrowIfNull(work);
        ValueTask<T> run = RunCoreAsync((connection, _) => ValueTask.FromResult(work(connection)), synchronous: true, caller, callerFile, CancellationToken.None);

        // Synchronous all the way down (no await that does not complete at once): nothing blocks on a pending task here.
        if (!run.IsCompleted)
        {
            // A Release build must not block a thread on a pending task either: say so instead.
            throw new InvalidOperationException("PostgresDatabase.Run: the synchronous path awaited something pending.");
        }

        return run.GetAwaiter().GetResult();
    }

    // One body for both: when synchronous, every step (open, wait, work, close) runs on the calling
    // thread and the returned ValueTask is already complete.
    private async ValueTask<T> RunCoreAsync<T>(Func<NpgsqlConnection, CancellationToken, ValueTask<T>> work, bool synchronous, string caller, string callerFile, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Telemetry.StoreCall call = Telemetry.StoreCall.Start("postgresql", caller, callerFile);
        try
        {
            T result;
            Interlocked.Increment(ref _busy);
            try
            {
                NpgsqlConnection connection = await OpenAsync(synchronous, cancellationToken).ConfigureAwait(false);
                try
                {
                    result = await work(connection, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (synchronous)
                    {
                        connection.Dispose();
                    }
                    else
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }

            call.End();
            return result;
        }
        catch (Exception ex) when (PostgresErrors.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            call.End(ex);
            if (PostgresErrors.IsConnectionLost(ex))
            {
                _dataSource.Clear();
            }

            throw PostgresErrors.Unavailable(ex);
        }
        catch (Exception ex)
        {
            call.End(ex);
            throw;
        }
    }

    /// <summary>
    /// A pooled connection. When PostgreSQL refuses a new one for its connection limit (SQLSTATE
    /// 53300: <c>max_connections</c>, or the role's or database's <c>CONNECTION LIMIT</c>) while
    /// this instance's own connections are busy with other calls, the pool could not grow but those
    /// connections come back within milliseconds: the call waits for one, as it would for a full
    /// pool, until the connect timeout has passed, and only then fails (503 <c>store_unavailable</c>
    /// at the endpoints). Without this, every request beyond the connections the pool happened to
    /// hold failed at once. A call while this instance holds no connection has nothing to wait for
    /// (the limit is taken by others, or is zero): it looks once more after the first pause (a
    /// connection may be a moment from being held or given back) and then fails.
    /// </summary>
    /// <remarks>
    /// The wait is measured on the monotonic clock, not the injected <see cref="TimeProvider"/>
    /// (which dates migrations and may be a test's paused clock): a refusal must end within the
    /// connect timeout whatever the application's clock says. Each asynchronous retry is cut off at
    /// that deadline; a synchronous one (Npgsql's blocking open takes no cancellation) is bounded by
    /// Npgsql's own connect timeout, the same setting rounded up to whole seconds, so a blocking call
    /// that starts its last retry just before the deadline can take up to about twice the connect timeout.
    /// </remarks>
    private async ValueTask<NpgsqlConnection> OpenAsync(bool synchronous, CancellationToken cancellationToken)
    {
        try
        {
            return synchronous ? _dataSource.OpenConnection() : await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.TooManyConnections)
        {
            // Until it holds a connection this call waits, and is not one of the calls others wait for.
            Interlocked.Decrement(ref _busy);
            try
            {
                return await OpenAtTheLimitAsync(ex, synchronous, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _busy);
            }
        }
    }

    private async ValueTask<NpgsqlConnection> OpenAtTheLimitAsync(PostgresException refused, bool synchronous, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan wait = FirstLimitWait;
        bool lookedAgain = false;
        while (true)
        {
            if (Volatile.Read(ref _busy) > 0)
            {
                lookedAgain = false;
            }
            else if (lookedAgain)
            {
                // Twice no call of this instance's holding or opening a connection: nothing of ours will come back.
                throw refused;
            }
            else
            {
                // None right now, but one may be a moment away (a waiter's retry that just succeeded, a connection just
                // given back and taken by another waiter, a limit PostgreSQL counts loosely at a cold start): one more look.
                lookedAgain = true;
            }

            if (_connectTimeout - Stopwatch.GetElapsedTime(started) <= wait + ShortestAttempt)
            {
                throw refused;
            }

            if (synchronous)
            {
                Thread.Sleep(wait);
            }
            else
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestLimitWait.Ticks));
            TimeSpan left = _connectTimeout - Stopwatch.GetElapsedTime(started);
            if (left < ShortestAttempt)
            {
                throw refused;
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(left);
            try
            {
                return synchronous ? _dataSource.OpenConnection() : await _dataSource.OpenConnectionAsync(attempt.Token).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.TooManyConnections)
            {
                refused = ex;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No connection to PostgreSQL within {_connectTimeout.TotalSeconds:0.###} s: it refused new ones for its connection limit (53300).", refused);
            }
        }
    }

    /// <summary>The dialect the shared stores speak to this database.</summary>
    public SqlDialect Dialect => PostgresDialect.Instance;

    /// <summary>
    /// Applies the migrations not applied yet (<see cref="SqlMigrationRunner"/>). Several instances
    /// starting at once take turns on a PostgreSQL advisory lock, so each step runs exactly once.
    /// Refuses a database written by a newer version of a module (a downgrade would corrupt it).
    /// </summary>
    public async ValueTask MigrateAsync(IEnumerable<PostgresMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        PostgresMigration[] steps = [.. migrations];
        await RunAsync<bool>(async (connection, ct) =>
        {
            await SqlMigrationRunner.MigrateAsync(connection, Dialect, steps, _time.GetUtcNow(), ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema version applied for <paramref name="module"/>; 0 when none.</summary>
    public ValueTask<int> SchemaVersionAsync(string module, CancellationToken cancellationToken) =>
        RunAsync((connection, ct) => SqlMigrationRunner.SchemaVersionAsync(connection, null, module, ct), cancellationToken);

    ValueTask<T> ISqlDatabase.RunAsync<T>(Func<DbConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken, string caller, string callerFile) =>
        RunAsync((NpgsqlConnection connection, CancellationToken ct) => work(connection, ct), cancellationToken, caller, callerFile);

    /// <summary>Closes the pooled connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private static int WholeSeconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));
}
