using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Npgsql;
using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>
/// One PostgreSQL database shared by every instance of the server: a pooled
/// <see cref="NpgsqlDataSource"/> with short timeouts, and the schema migrations.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    // pg_advisory_lock key for migrations: any constant works as long as every instance uses it.
    private const long MigrationLockKey = 0x7465_7373_6572_61; // "tessera"

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    public PostgresDatabase(PostgresStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        _time = time ?? TimeProvider.System;
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
    /// </summary>
    public async ValueTask<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (PostgresErrors.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            if (PostgresErrors.IsConnectionLost(ex))
            {
                _dataSource.Clear();
            }

            throw PostgresErrors.Unavailable(ex);
        }
    }

    /// <summary>The synchronous twin of <see cref="RunAsync{T}"/>, for callers that the framework calls synchronously.</summary>
    public T Run<T>(Func<NpgsqlConnection, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            using NpgsqlConnection connection = _dataSource.OpenConnection();
            return work(connection);
        }
        catch (Exception ex) when (PostgresErrors.IsUnavailable(ex))
        {
            if (PostgresErrors.IsConnectionLost(ex))
            {
                _dataSource.Clear();
            }

            throw PostgresErrors.Unavailable(ex);
        }
    }

    /// <summary>
    /// Applies the migrations not applied yet. Several instances starting at once take turns on a
    /// PostgreSQL advisory lock, so each step runs exactly once. Refuses a database written by a
    /// newer version of a module (a downgrade would corrupt it).
    /// </summary>
    public async ValueTask MigrateAsync(IEnumerable<PostgresMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        PostgresMigration[][] modules = [.. migrations.GroupBy(m => m.Module, StringComparer.Ordinal).Select(CheckedSteps)];
        await RunAsync<bool>(async (connection, ct) =>
        {
            await connection.Command("SELECT pg_advisory_lock(@key);").With("key", MigrationLockKey).ExecuteAsync(ct).ConfigureAwait(false);
            try
            {
                await connection.Command("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        module      text        NOT NULL,
                        version     integer     NOT NULL,
                        description text        NOT NULL,
                        applied_at  timestamptz NOT NULL,
                        PRIMARY KEY (module, version)
                    );
                    """).ExecuteAsync(ct).ConfigureAwait(false);
                foreach (PostgresMigration[] steps in modules)
                {
                    await MigrateModuleAsync(connection, steps, _time.GetUtcNow(), ct).ConfigureAwait(false);
                }
            }
            finally
            {
                await UnlockAsync(connection).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema version applied for <paramref name="module"/>; 0 when none.</summary>
    public ValueTask<int> SchemaVersionAsync(string module, CancellationToken cancellationToken) =>
        RunAsync((connection, ct) => CurrentVersionAsync(connection, null, module, ct), cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    private static PostgresMigration[] CheckedSteps(IGrouping<string, PostgresMigration> module)
    {
        PostgresMigration[] steps = [.. module.OrderBy(m => m.Version)];
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations of module '{module.Key}' must be numbered 1, 2, 3… without gaps.");
            }
        }

        return steps;
    }

    private static async ValueTask MigrateModuleAsync(NpgsqlConnection connection, PostgresMigration[] steps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string module = steps[0].Module;
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            int current = await CurrentVersionAsync(connection, transaction, module, cancellationToken).ConfigureAwait(false);
            if (current > steps.Length)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The database has schema version {current} of '{module}', newer than this program knows ({steps.Length}). Use a newer Tessera or another database."));
            }

            foreach (PostgresMigration step in steps.Skip(current))
            {
                await ExecuteMigrationAsync(connection, transaction, step, now, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Migration SQL is compiled into the program, never built from input.")]
    private static async ValueTask ExecuteMigrationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresMigration step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(step.Sql, connection, transaction);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await connection.Command("INSERT INTO schema_migrations (module, version, description, applied_at) VALUES (@module, @version, @description, @at);", transaction)
            .With("module", step.Module).With("version", step.Version).With("description", step.Description).With("at", now)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string module, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = @module;", transaction).With("module", module);
        await using (command.ConfigureAwait(false))
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    private static async ValueTask UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            // Unlocking at once lets the next instance go; a broken connection released the lock already.
            await connection.Command("SELECT pg_advisory_unlock(@key);").With("key", MigrationLockKey).ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The failure that got us here is the one worth reporting.
        }
    }

    private static int WholeSeconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));
}
