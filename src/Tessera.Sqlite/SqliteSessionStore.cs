using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>
/// Sessions in the SQLite file (<see cref="SqlSessionStore"/>). The rotation is one guarded UPDATE:
/// the compare, the swap, the touch and the generation count in a single statement.
/// </summary>
public sealed class SqliteSessionStore(SqliteDatabase database) : SqlSessionStore(database, Rotate)
{
    private static readonly string[] Rotate =
    [
        // The WHERE is the compare; the SET the swap and the touch (last seen only moves forward).
        """
        UPDATE sessions SET secret_hash = @next, previous_secret_hash = secret_hash, secret_rotated_at = @at,
            last_seen_at = MAX(last_seen_at, @at), idle_expires_at = @idle, generation = generation + 1, rotated_by = @by
        WHERE handle = @handle AND secret_hash = @expected AND revoked_at IS NULL;
        """,
    ];
}
