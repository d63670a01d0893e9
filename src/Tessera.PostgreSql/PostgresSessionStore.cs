using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// Sessions in PostgreSQL (<see cref="SqlSessionStore"/>), safe across server instances: each
/// write is one statement whose WHERE re-checks the row after any lock wait (READ COMMITTED
/// re-evaluates it on the newest version), so guarded updates are compare-and-swap.
/// </summary>
public sealed class PostgresSessionStore(PostgresDatabase database) : SqlSessionStore(database, Rotate)
{
    /// <summary>
    /// One statement, so the compare-and-swap holds across every instance: the UPDATE's WHERE is
    /// the compare (a rotation that committed first makes it match nothing), its SET the swap and
    /// the touch (last seen only forward) and the generation count. A next hash taken by another
    /// session fails the unique index and changes nothing.
    /// </summary>
    private static readonly string[] Rotate =
    [
        """
        UPDATE sessions SET secret_hash = @next, previous_secret_hash = secret_hash, secret_rotated_at = @at,
            last_seen_at = GREATEST(last_seen_at, @at), idle_expires_at = @idle, generation = generation + 1, rotated_by = @by
        WHERE handle = @handle AND secret_hash = @expected AND revoked_at IS NULL;
        """,
    ];
}
