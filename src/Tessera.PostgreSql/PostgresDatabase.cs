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

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _connectTimeout;

    // This instance's calls (RunAsync and Run) that hold a connection or are opening one for the first time:
    // their connections come back to the pool. A call refused at the limit waits only while there are such
    // calls; it is not counted while it waits, nor while it retries, so two waiting calls never keep each
    // other waiting.
    private int _busy;

    // Connections this instance's calls have given back. A refused call that finds no call busy tries once
    // more when one came back since its last attempt (it is idle in the pool), instead of failing beside it.
    private int _returned;

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
            int returnedBefore = Volatile.Read(ref _returned);
            Interlocked.Increment(ref _busy);
            T result;
            try
            {
                NpgsqlConnection connection = await OpenAsync(synchronous, returnedBefore, cancellationToken).ConfigureAwait(false);
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

                    // Counted as given back before this call stops being busy: a waiter that sees no busy call sees this.
                    Interlocked.Increment(ref _returned);
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
    /// (the limit is taken by others, or is zero): it fails at once, as before.
    /// </summary>
    /// <remarks>
    /// The wait is measured on the monotonic clock, not the injected <see cref="TimeProvider"/>
    /// (which dates migrations and may be a test's paused clock): a refusal must end within the
    /// connect timeout whatever the application's clock says. Each asynchronous retry is cut off at
    /// that deadline; a synchronous one (Npgsql's blocking open takes no cancellation) is bounded by
    /// Npgsql's own connect timeout, the same setting rounded up to whole seconds, so a blocking call
    /// that starts its last retry just before the deadline can take up to about twice the connect timeout.
    /// </remarks>
    private async ValueTask<NpgsqlConnection> OpenAsync(bool synchronous, int returnedBefore, CancellationToken cancellationToken)
    {
        try
        {
            return synchronous ? _dataSource.OpenConnection() : await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.TooManyConnections)
        {
            // From here until it holds a connection this call waits, and is not one of the calls others wait for.
            Interlocked.Decrement(ref _busy);
            try
            {
                return await OpenAtTheLimitAsync(ex, returnedBefore, synchronous, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _busy);
            }
        }
    }

    private async ValueTask<NpgsqlConnection> OpenAtTheLimitAsync(PostgresException refused, int returnedBefore, bool synchronous, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan wait = FirstLimitWait;
        while (true)
        {
            TimeSpan left = _connectTimeout - Stopwatch.GetElapsedTime(started);
            if (left <= wait)
            {
                throw refused;
            }

            if (Volatile.Read(ref _busy) > 0)
            {
                // Connections of this instance are in use and come back within milliseconds.
                if (synchronous)
                {
                    Thread.Sleep(wait);
                }
                else
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestLimitWait.Ticks));
                left = _connectTimeout - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    throw refused;
                }
            }
            else if (Volatile.Read(ref _returned) == returnedBefore)
            {
                // Nothing of this instance's is in use, and nothing came back since the last attempt: nothing to wait for.
                throw refused;
            }

            returnedBefore = Volatile.Read(ref _returned);
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
