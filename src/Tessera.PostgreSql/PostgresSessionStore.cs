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
    /// the touch (last seen only forward), and the retired hash is recorded in the same statement.
    /// A next hash taken by another session fails the unique index and rolls it all back.
    /// </summary>
    private static readonly string[] Rotate =
    [
        """
        WITH rotated AS (
            UPDATE sessions SET secret_hash = @next, previous_secret_hash = secret_hash, secret_rotated_at = @at,
                last_seen_at = GREATEST(last_seen_at, @at), idle_expires_at = @idle
            WHERE handle = @handle AND secret_hash = @expected AND revoked_at IS NULL
            RETURNING handle
        )
        INSERT INTO session_retired_secrets (secret_hash, handle) SELECT @expected, handle FROM rotated;
        """,
    ];
}
