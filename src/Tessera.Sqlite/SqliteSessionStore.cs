using Tessera.Sessions;
using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>
/// Sessions in the SQLite file (<see cref="SqlSessionStore"/>). The rotation is one guarded UPDATE:
/// the compare, the swap, the touch and the generation count in a single statement. A look-up by
/// handle is answered from the rows read before while the file has not changed since
/// (<see cref="SqliteSessionReadCache"/>, checked against <c>PRAGMA data_version</c> on every call).
/// </summary>
public sealed class SqliteSessionStore(SqliteDatabase database) : SqlSessionStore(database, Rotate), IDisposable
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

    private readonly SqliteSessionReadCache _reads = new(database);

    /// <summary>Sessions the read cache holds now (tests).</summary>
    internal int CachedSessions => _reads.Count;

    /// <summary>The read cache's open watcher connections (tests).</summary>
    internal int OpenReadWatchers => _reads.OpenWatchers;

    /// <inheritdoc />
    public override ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) =>
        _reads.FindAsync(handle, (key, ct) => base.FindByHandleAsync(key, ct), cancellationToken);

    /// <summary>Closes the connection the read cache watches the file with.</summary>
    public void Dispose() => _reads.Dispose();
}
