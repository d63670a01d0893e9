using System.Data.Common;
using System.Runtime.CompilerServices;
using Tessera.Sessions;

namespace Tessera.Stores.Sql;

/// <summary>
/// Sessions in a SQL database, with every optional capability. The statements are plain SQL with
/// <c>@name</c> parameters that every backend runs as written, the dialect filling in its sort
/// order and row locks; a backend gives only its rotation (<see cref="TryRotateSecretAsync"/>),
/// the one write the dialects say differently. Single statements are atomic on their own, and
/// guarded ones (the WHERE re-checks the row) are compare-and-swap; read-then-write sequences run
/// in the dialect's write transaction (<see cref="SqlDialect.BeginWriteAsync"/>) so concurrent
/// writers take turns. The writes another instance must hear about are virtual, so a backend can
/// announce them in the same statement (PostgreSQL's <c>RETURNING pg_notify(…)</c>, issue #13).
/// </summary>
public abstract class SqlSessionStore
    : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup, Telemetry.IActiveSessionCount
{
    private const string Select = $"SELECT {SqlSessionRows.Columns} FROM sessions";

    private readonly ISqlDatabase _database;
    private readonly IReadOnlyList<string> _rotate;
    private readonly string _listActive;
    private readonly string _lockForAttributes;

    /// <param name="database">Where the tables of the backend's migrations live.</param>
    /// <param name="rotate">
    /// The compare-and-swap with its touch (<c>@handle</c>, <c>@expected</c>, <c>@next</c>,
    /// <c>@at</c>, <c>@idle</c>, <c>@by</c>: the rotating client's fingerprint), which also counts the
    /// generation up; no retired hash is recorded (storage per session stays constant). The first statement's count
    /// says whether it swapped (1) or not (0); several statements run in one write transaction,
    /// the later ones only after a swap.
    /// </param>
    protected SqlSessionStore(ISqlDatabase database, IReadOnlyList<string> rotate)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(rotate);
        ArgumentOutOfRangeException.ThrowIfZero(rotate.Count);
        _database = database;
        _rotate = rotate;
        SqlDialect dialect = database.Dialect;
        _listActive = $"""
            {Select}
            WHERE user_id = @user AND revoked_at IS NULL AND idle_expires_at > @now AND absolute_expires_at > @now
            ORDER BY created_at DESC, {dialect.ByteOrder("handle")};
            """;
        _lockForAttributes = $"SELECT 1 FROM sessions WHERE handle = @handle{dialect.LockRowsClause};";
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await ExecuteAsync($"INSERT INTO sessions ({SqlSessionRows.Columns}) VALUES ({SqlSessionRows.Parameters});",
            command => command.WithSession(session, Dialect), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        FindAsync($"{Select} WHERE secret_hash = @key;", secretHash, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) =>
        FindAsync($"{Select} WHERE handle = @key;", handle, cancellationToken);

    /// <inheritdoc />
    public async ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
                UPDATE sessions SET last_seen_at = @seen, idle_expires_at = @idle
                WHERE handle = @handle AND revoked_at IS NULL AND last_seen_at < @seen;
                """, command => command
            .With("seen", Dialect.Time(lastSeenAt)).With("idle", Dialect.Time(idleExpiresAt)).With("handle", handle), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public virtual async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE sessions SET revoked_at = @at, revoked_reason = @reason WHERE handle = @handle AND revoked_at IS NULL;",
            command => command
            .With("at", Dialect.Time(revokedAt)).With("reason", reason).With("handle", handle), cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public virtual async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE sessions SET flagged_at = @at, flag_reason = @reason WHERE handle = @handle AND flagged_at IS NULL;",
            command => command
            .With("at", Dialect.Time(flaggedAt)).With("reason", reason).With("handle", handle), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<SessionRecord>>(async (connection, ct) => await connection.Command(_listActive)
            .With("user", userId).With("now", Dialect.Time(now))
            .ReadAllAsync(ReadSession, ct).ConfigureAwait(false), cancellationToken);

    /// <summary>The active sessions, for the <c>tessera.sessions.active</c> gauge (one count, at most every refresh interval).</summary>
    public ValueTask<long> CountActiveSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.RunAsync(async (connection, ct) => await connection.Command("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL AND idle_expires_at > @now AND absolute_expires_at > @now;")
            .With("now", Dialect.Time(now))
            .ReadFirstAsync(reader => reader.GetInt64(0), ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync("""
                UPDATE sessions SET revoked_at = @at, revoked_reason = @reason
                WHERE user_id = @user AND revoked_at IS NULL AND (CAST(@except AS text) IS NULL OR handle <> CAST(@except AS text));
                """, command => command
            .With("at", Dialect.Time(revokedAt)).With("reason", reason).With("user", userId).With("except", exceptHandle), cancellationToken);

    /// <inheritdoc />
    public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) =>
        FindAsync($"{Select} WHERE previous_secret_hash = @key;", previousHash, cancellationToken);

    /// <summary>
    /// The compare-and-swap and its touch in one atomic step: one statement, or the backend's
    /// statements in one write transaction. A lost race matches no row and writes nothing; a next
    /// hash that collides with another session's fails the unique index and rolls everything back.
    /// </summary>
    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, ReadOnlyMemory<byte>? rotatedBy, CancellationToken cancellationToken) =>
        _database.RunAsync(async (connection, ct) =>
        {
            DbCommand Statement(string sql, DbTransaction? transaction) => connection.Command(sql, transaction)
                .With("handle", handle).With("expected", expectedHash).With("next", nextHash)
                .With("at", Dialect.Time(rotatedAt)).With("idle", Dialect.Time(idleExpiresAt)).With("by", rotatedBy);
            try
            {
                if (_rotate.Count == 1)
                {
                    return await Statement(_rotate[0], null).ExecuteAsync(ct).ConfigureAwait(false) == 1;
                }

                DbTransaction transaction = await Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    if (await Statement(_rotate[0], transaction).ExecuteAsync(ct).ConfigureAwait(false) != 1)
                    {
                        return false;
                    }

                    foreach (string sql in _rotate.Skip(1))
                    {
                        await Statement(sql, transaction).ExecuteAsync(ct).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return true;
                }
            }
            catch (DbException ex) when (Dialect.IsUniqueViolation(ex))
            {
                return false;
            }
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyDictionary<string, string>>(async (connection, ct) =>
            (await connection.Command("SELECT key, value FROM session_attributes WHERE handle = @handle;").With("handle", handle)
                .ReadAllAsync(reader => (Key: reader.GetString(0), Value: reader.GetString(1)), ct).ConfigureAwait(false))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        _database.RunAsync(async (connection, ct) =>
        {
            DbTransaction transaction = await Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The lock makes concurrent writers of one session take turns; the count is a
                // statement of its own, so it sees what the writer before us committed.
                if (!await connection.Command(_lockForAttributes, transaction).With("handle", handle).AnyAsync(ct).ConfigureAwait(false))
                {
                    return AttributeWrite.SessionNotFound;
                }

                (long count, long existing) = await connection.Command("SELECT COUNT(*), COUNT(CASE WHEN key = @key THEN 1 END) FROM session_attributes WHERE handle = @handle;", transaction).With("handle", handle).With("key", key)
                    .ReadFirstAsync(reader => (reader.GetInt64(0), reader.GetInt64(1)), ct).ConfigureAwait(false);
                if (existing == 0 && count >= maxAttributes)
                {
                    return AttributeWrite.LimitReached;
                }

                await connection.Command("""
                        INSERT INTO session_attributes (handle, key, value) VALUES (@handle, @key, @value)
                        ON CONFLICT (handle, key) DO UPDATE SET value = excluded.value;
                        """, transaction).With("handle", handle).With("key", key).With("value", value)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return AttributeWrite.Written;
            }
        }, cancellationToken);

    /// <inheritdoc />
    public virtual async ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM session_attributes WHERE handle = @handle AND key = @key;", command => command.With("handle", handle).With("key", key), cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public virtual ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM sessions WHERE idle_expires_at < @cutoff OR absolute_expires_at < @cutoff OR revoked_at < @cutoff;", command => command.With("cutoff", Dialect.Time(cutoff)), cancellationToken);

    private SessionRecord ReadSession(DbDataReader reader) => SqlSessionRows.Read(reader, Dialect);

    // The public method's name goes on to the store-call measurement, not the helper's.
    private ValueTask<SessionRecord?> FindAsync(string sql, object key, CancellationToken cancellationToken, [CallerMemberName] string caller = "") =>
        _database.RunAsync((connection, ct) => connection.Command(sql).With("key", key).ReadFirstAsync(ReadSession, ct), cancellationToken, caller);

    private ValueTask<int> ExecuteAsync(string sql, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken, [CallerMemberName] string caller = "") =>
        _database.RunAsync((connection, ct) => bind(connection.Command(sql)).ExecuteAsync(ct), cancellationToken, caller);
}
