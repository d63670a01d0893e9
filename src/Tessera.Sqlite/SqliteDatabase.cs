using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Tessera.Stores;
using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>
/// One SQLite file: opens pooled connections with the settings every store relies on, switches the
/// file to WAL (readers never block the writer) and applies schema migrations.
/// </summary>
public sealed class SqliteDatabase : ISqlDatabase
{
    // Native handles already set to synchronous = NORMAL; held weakly, so a closed handle's entry goes with it.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>The database file at <paramref name="path"/> (made absolute; created 0600 at first open); a writer waits up to <paramref name="busyTimeout"/> for the lock; <paramref name="time"/> dates the applied migrations (the system clock when null).</summary>
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
            // The setting belongs to the native handle, which the pool hands out again with the
            // connection: it is set once per handle, not once per request (a statement less on
            // every store call). A handle not seen before (new, or after ClearAllPools) gets it.
            if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                await connection.Command("PRAGMA synchronous = NORMAL;").ExecuteAsync(cancellationToken).ConfigureAwait(false);
                Configured.AddOrUpdate(handle, Marker);
            }

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
    /// A connection of its own (not pooled, so no one else ever writes through it) for
    /// <see cref="SqliteSessionReadCache"/>, which reads <c>PRAGMA data_version</c> on it: the value
    /// changes when any other connection commits. The caller disposes it.
    /// </summary>
    internal SqliteConnection OpenWatcher()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The dialect the shared stores speak to this file.</summary>
    public SqlDialect Dialect => SqliteDialect.Instance;

    /// <summary>
    /// Creates the file if needed (only its owner may read it: folder 0700, files 0600 on Unix), switches it to WAL and applies the migrations not applied yet
    /// (<see cref="SqlMigrationRunner"/>; each module in a <c>BEGIN IMMEDIATE</c> transaction, so
    /// two processes starting at once take turns). Refuses a database written by a newer version
    /// of a module (a downgrade would corrupt it).
    /// </summary>
    public async ValueTask MigrateAsync(IEnumerable<SqliteMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        string? folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            OwnerOnlyFiles.CreateFolder(folder);
        }

        // Before SQLite opens it: created 0600, or tightened if an earlier version left it readable
        // by others (the -wal and -shm files SQLite makes next take the database's mode).
        OwnerOnlyFiles.CreateOrRestrictFile(Path);
        foreach (string suffix in (string[])["-wal", "-shm", "-journal"])
        {
            OwnerOnlyFiles.Restrict(Path + suffix);
        }

        SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await connection.Command("PRAGMA journal_mode = WAL;").ExecuteAsync(cancellationToken).ConfigureAwait(false);
                await SqlMigrationRunner.MigrateAsync(connection, Dialect, migrations, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex)
            {
                throw new StoreUnavailableException("The SQLite schema could not be migrated.", ex);
            }
        }
    }

    /// <summary>The schema version applied for <paramref name="module"/>; 0 when none.</summary>
    public ValueTask<int> SchemaVersionAsync(string module, CancellationToken cancellationToken) =>
        this.RunAsync((connection, ct) => SqlMigrationRunner.SchemaVersionAsync(connection, null, module, ct), cancellationToken);

    ValueTask<T> ISqlDatabase.RunAsync<T>(Func<DbConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken, string caller, string callerFile) =>
        this.RunAsync((SqliteConnection connection, CancellationToken ct) => work(connection, ct), cancellationToken, caller, callerFile);
}
