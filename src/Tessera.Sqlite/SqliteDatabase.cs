using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>
/// One SQLite file: opens pooled connections with the settings every store relies on, switches the
/// file to WAL (readers never block the writer) and applies schema migrations.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public SqliteDatabase(string path, TimeSpan? busyTimeout = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _time = time ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Also the busy timeout: how long a writer waits for the file lock before failing.
            DefaultTimeout = (int)Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(5)).TotalSeconds),
        }.ToString();
    }

    /// <summary>The database file's absolute path.</summary>
    public string Path { get; }

    /// <summary>An open connection; <see cref="StoreUnavailableException"/> when the file cannot be opened.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StoreUnavailableException("The SQLite database could not be opened.", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates the file if needed, switches it to WAL and applies the migrations not applied yet.
    /// Refuses a database written by a newer version of a module (a downgrade would corrupt it).
    /// </summary>
    public async ValueTask MigrateAsync(IEnumerable<SqliteMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        string? folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        module      TEXT    NOT NULL,
                        version     INTEGER NOT NULL,
                        description TEXT    NOT NULL,
                        applied_at  INTEGER NOT NULL,
                        PRIMARY KEY (module, version)
                    ) WITHOUT ROWID;
                    """, cancellationToken).ConfigureAwait(false);

                foreach (IGrouping<string, SqliteMigration> module in migrations.GroupBy(m => m.Module, StringComparer.Ordinal))
                {
                    await MigrateModuleAsync(connection, module.Key, [.. module.OrderBy(m => m.Version)], _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (SqliteException ex)
            {
                throw new StoreUnavailableException("The SQLite schema could not be migrated.", ex);
            }
        }
    }

    /// <summary>The schema version applied for <paramref name="module"/>; 0 when none.</summary>
    public async ValueTask<int> SchemaVersionAsync(string module, CancellationToken cancellationToken)
    {
        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await CurrentVersionAsync(connection, module, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask MigrateModuleAsync(SqliteConnection connection, string module, SqliteMigration[] steps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations of module '{module}' must be numbered 1, 2, 3… without gaps.");
            }
        }

        // BEGIN IMMEDIATE: two processes starting at once take turns instead of both migrating.
        SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        await using (transaction.ConfigureAwait(false))
        {
            int current = await CurrentVersionAsync(connection, module, transaction, cancellationToken).ConfigureAwait(false);
            if (current > steps.Length)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The database has schema version {current} of '{module}', newer than this program knows ({steps.Length}). Use a newer Tessera or another data folder."));
            }

            foreach (SqliteMigration step in steps.Skip(current))
            {
                await ExecuteMigrationAsync(connection, transaction, step, now, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Migration SQL is compiled into the program, never built from input.")]
    private static async ValueTask ExecuteMigrationAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteMigration step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SqliteCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = step.Sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = "INSERT INTO schema_migrations (module, version, description, applied_at) VALUES ($module, $version, $description, $at);";
            command.Parameters.AddWithValue("$module", step.Module);
            command.Parameters.AddWithValue("$version", step.Version);
            command.Parameters.AddWithValue("$description", step.Description);
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<int> CurrentVersionAsync(SqliteConnection connection, string module, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        SqliteCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = $module;";
            command.Parameters.AddWithValue("$module", module);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Only constant statements are passed.")]
    private static async ValueTask ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        SqliteCommand command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
