using System.Data.Common;

namespace Tessera.Stores.Sql;

/// <summary>
/// What a SQL backend does its own way, below the statements: how a time is stored, how a write
/// transaction starts and takes its lock, which failure is a unique-key clash, and how migrations
/// keep several processes from migrating at once. Everything else (commands, row mapping, the
/// stores' logic, the migration runner) is shared over <see cref="System.Data.Common"/>.
/// </summary>
/// <param name="byteOrderCollation">What follows a text column in ORDER BY to sort it in byte order (empty when that is the default).</param>
/// <param name="lockRowsClause">What ends a SELECT whose rows the write transaction must hold until it ends.</param>
/// <param name="timeColumnType">The column type of a time (<see cref="Time"/>'s values).</param>
/// <param name="keyedTableOptions">What follows the closing parenthesis of a CREATE TABLE with a primary key (SQLite: <c>WITHOUT ROWID</c>).</param>
/// <param name="elsewhereHint">Where else to point a program that meets a newer schema.</param>
public abstract class SqlDialect(string byteOrderCollation, string lockRowsClause, string timeColumnType, string keyedTableOptions, string elsewhereHint)
{
    /// <summary>
    /// What ends a SELECT whose rows the write transaction holds until it ends (PostgreSQL:
    /// <c>FOR UPDATE</c>); empty where the write transaction already locks everything (SQLite).
    /// </summary>
    public string LockRowsClause => lockRowsClause;

    /// <summary>Where else to point a program that meets a newer schema ("another data folder", "another database").</summary>
    public string ElsewhereHint => elsewhereHint;

    /// <summary>Creates the table in which <see cref="SqlMigrationRunner"/> records the applied steps, if it is missing.</summary>
    public string MigrationsTableSql => $"""
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module      TEXT    NOT NULL,
            version     INTEGER NOT NULL,
            description TEXT    NOT NULL,
            applied_at  {timeColumnType} NOT NULL,
            PRIMARY KEY (module, version)
        ){keyedTableOptions};
        """;

    /// <summary><paramref name="column"/> as an ORDER BY term that sorts text in byte order, whatever the database's collation.</summary>
    public string ByteOrder(string column) => column + byteOrderCollation;

    /// <summary>
    /// A condition true when the text <paramref name="column"/> contains <paramref name="parameter"/>'s
    /// text literally, case-sensitive (SQLite: <c>instr</c>; PostgreSQL: <c>strpos</c>). Used instead
    /// of LIKE so that a search for <c>_</c> or <c>%</c> is no wildcard, and SQLite's ASCII-folding
    /// LIKE cannot make the SQL stores match more than the in-memory one.
    /// </summary>
    /// <param name="column">The column (or expression) searched.</param>
    /// <param name="parameter">The parameter holding the text to find, with its <c>@</c>.</param>
    public abstract string ContainsText(string column, string parameter);

    /// <summary>The parameter value for a time column (Unix milliseconds in SQLite, <c>timestamptz</c> in PostgreSQL).</summary>
    public abstract object Time(DateTimeOffset value);

    /// <summary><see cref="Time(DateTimeOffset)"/>, or SQL NULL.</summary>
    public object TimeOrNull(DateTimeOffset? value) => value is { } time ? Time(time) : DBNull.Value;

    /// <summary>Reads a time column written with <see cref="Time(DateTimeOffset)"/>.</summary>
    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary><see cref="ReadTime"/>, or null for SQL NULL.</summary>
    public DateTimeOffset? ReadTimeOrNull(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);
    }

    /// <summary>
    /// Starts a transaction for a read-then-write sequence. Its reads must see what the writer
    /// before it committed, and concurrent sequences must take turns (SQLite: <c>BEGIN IMMEDIATE</c>;
    /// PostgreSQL: READ COMMITTED plus the row locks the statements take).
    /// </summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> says a unique index refused the write: an expected "no", not an outage.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// Holds the lock that makes concurrent migrators take turns for the whole run; disposing it
    /// releases the lock. Null when each module's write transaction is lock enough (SQLite).
    /// </summary>
    public virtual ValueTask<IAsyncDisposable?> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IAsyncDisposable?>(null);
}
