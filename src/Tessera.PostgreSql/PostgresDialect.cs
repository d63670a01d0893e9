using System.Data.Common;
using Npgsql;
using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// PostgreSQL's way: times as <c>timestamptz</c> (sent in UTC), write transactions at READ
/// COMMITTED with the row locks the statements take, and migrations under an advisory lock.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    // pg_advisory_lock key for migrations: any constant works as long as every instance uses it.
    private const long MigrationLockKey = 0x7465_7373_6572_61; // "tessera"

    // The "C" collation is byte order whatever the database was created with; FOR UPDATE holds
    // the rows a read-then-write sequence read until it commits.
    private PostgresDialect()
        : base(byteOrderCollation: " COLLATE \"C\"", lockRowsClause: " FOR UPDATE", timeColumnType: "timestamptz", keyedTableOptions: "", elsewhereHint: "another database")
    {
    }

    public static PostgresDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string ContainsText(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override object Time(DateTimeOffset value) => value.ToUniversalTime();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetFieldValue<DateTimeOffset>(ordinal);
    }

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// Several instances starting at once take turns on a session-level advisory lock, held for
    /// the whole run, so each step runs exactly once.
    /// </summary>
    public override async ValueTask<IAsyncDisposable?> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.Command("SELECT pg_advisory_lock(@key);").With("key", MigrationLockKey).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return new MigrationLock(connection);
    }

    private sealed class MigrationLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Unlocking at once lets the next instance go; a broken connection released the lock already.
                await connection.Command("SELECT pg_advisory_unlock(@key);").With("key", MigrationLockKey).ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The failure that got us here is the one worth reporting (a broken connection throws
                // InvalidOperationException here, and released the lock already).
            }
        }
    }
}
