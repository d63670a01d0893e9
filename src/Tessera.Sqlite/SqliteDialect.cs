using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>SQLite's way: times as Unix milliseconds (UTC), write transactions as <c>BEGIN IMMEDIATE</c>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    // SQLITE_CONSTRAINT: the guarded writes meet only unique indexes, an expected outcome (a taken hash).
    private const int Constraint = 19;

    // BINARY, SQLite's default collation, is byte order already; BEGIN IMMEDIATE holds the whole
    // file until the transaction ends, so a read needs no lock of its own.
    private SqliteDialect()
        : base(byteOrderCollation: "", lockRowsClause: "", timeColumnType: "INTEGER", keyedTableOptions: " WITHOUT ROWID", elsewhereHint: "another data folder")
    {
    }

    public static SqliteDialect Instance { get; } = new();

    // DateTimeOffset.MaxValue ("until unlocked", see UserRecord.LockedUntil) in milliseconds: read back
    // as MaxValue itself, not as the last whole millisecond before it.
    private static readonly long MaxTime = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public override string ContainsText(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override object Time(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long milliseconds = reader.GetInt64(ordinal);
        return milliseconds == MaxTime ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    /// <summary>
    /// <c>BEGIN IMMEDIATE</c> takes the write lock at once, so two read-then-write sequences queue
    /// (up to the busy timeout) instead of both reading and one failing at its first write.
    /// </summary>
    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override bool IsUniqueViolation(DbException exception) => exception is SqliteException { SqliteErrorCode: Constraint };
}
