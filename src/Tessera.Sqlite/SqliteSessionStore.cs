using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>
/// Sessions in the SQLite file (<see cref="SqlSessionStore"/>). SQLite has no data-changing CTE,
/// so the rotation is a guarded UPDATE and the retired-hash insert in one <c>BEGIN IMMEDIATE</c>
/// transaction.
/// </summary>
public sealed class SqliteSessionStore(SqliteDatabase database) : SqlSessionStore(database, Rotate)
{
    private static readonly string[] Rotate =
    [
        // The WHERE is the compare; the SET the swap and the touch (last seen only moves forward).
        """
        UPDATE sessions SET secret_hash = @next, previous_secret_hash = secret_hash, secret_rotated_at = @at,
            last_seen_at = MAX(last_seen_at, @at), idle_expires_at = @idle
        WHERE handle = @handle AND secret_hash = @expected AND revoked_at IS NULL;
        """,
        "INSERT INTO session_retired_secrets (secret_hash, handle) VALUES (@expected, @handle);",
    ];
}
