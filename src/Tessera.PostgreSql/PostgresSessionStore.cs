using Npgsql;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// Sessions in PostgreSQL (<see cref="SqlSessionStore"/>), safe across server instances: each
/// write is one statement whose WHERE re-checks the row after any lock wait (READ COMMITTED
/// re-evaluates it on the newest version), so guarded updates are compare-and-swap.
/// </summary>
/// <remarks>
/// With <c>announceChanges</c> (the change feed is on, <see cref="PostgresChangeFeedOptions"/>)
/// every write another instance must hear about (revoke, revoke all of a user, rotate, flag,
/// attributes) announces each row it changed with <c>RETURNING pg_notify(…)</c> in the
/// same statement, so a notification goes out exactly when the change commits, and never for a
/// write that matched nothing or rolled back (<see cref="PostgresSessionChanges"/>). A purge
/// announces at most <see cref="PurgeAnnouncedOneByOne"/> rows one by one and a larger one as a
/// single reset (<see cref="PurgeAsync"/>). A touch is
/// not announced: it only moves a session's expiry later, a notification per touch would be
/// most of the feed's traffic, and a commit that notifies takes PostgreSQL's notify lock.
/// Without it the store sends nothing (no listener, no cost).
/// </remarks>
public sealed class PostgresSessionStore : SqlSessionStore
{
    /// <summary>
    /// One statement, so the compare-and-swap holds across every instance: the UPDATE's WHERE is
    /// the compare (a rotation that committed first makes it match nothing), its SET the swap and
    /// the touch (last seen only forward) and the generation count. A next hash taken by another
    /// session fails the unique index and changes nothing.
    /// </summary>
    private const string Rotate = """
        UPDATE sessions SET secret_hash = @next, previous_secret_hash = secret_hash, secret_rotated_at = @at,
            last_seen_at = GREATEST(last_seen_at, @at), idle_expires_at = @idle, generation = generation + 1, rotated_by = @by
        WHERE handle = @handle AND secret_hash = @expected AND revoked_at IS NULL
        """;

    private static readonly string RevokeAnnounced =
        "UPDATE sessions SET revoked_at = @at, revoked_reason = @reason WHERE handle = @handle AND revoked_at IS NULL" + Announce(SessionChangeKind.Revoked);

    private static readonly string RevokeAllAnnounced = """
        UPDATE sessions SET revoked_at = @at, revoked_reason = @reason
        WHERE user_id = @user AND revoked_at IS NULL AND (CAST(@except AS text) IS NULL OR handle <> CAST(@except AS text))
        """ + Announce(SessionChangeKind.Revoked);

    private static readonly string FlagAnnounced =
        "UPDATE sessions SET flagged_at = @at, flag_reason = @reason WHERE handle = @handle AND flagged_at IS NULL" + Announce(SessionChangeKind.Changed);

    /// <summary>
    /// One statement: the DELETE, then either a notification per deleted row (at most
    /// <see cref="PurgeAnnouncedOneByOne"/>) or one reset. The announcing CTE is referenced by the
    /// final SELECT, so PostgreSQL runs it (an unreferenced SELECT in WITH is never evaluated).
    /// </summary>
    private static readonly string PurgeAnnounced = $"""
        WITH purged AS (
            DELETE FROM sessions WHERE idle_expires_at < @cutoff OR absolute_expires_at < @cutoff OR revoked_at < @cutoff
            RETURNING handle, user_id),
        total AS (SELECT COUNT(*) AS n FROM purged),
        announced AS (
            SELECT pg_notify({PostgresSessionChanges.ChannelSql}, {PostgresSessionChanges.PayloadSql(SessionChangeKind.Deleted, "handle", "user_id")})
            FROM purged WHERE (SELECT n FROM total) <= {PurgeAnnouncedOneByOne}
            UNION ALL
            SELECT pg_notify({PostgresSessionChanges.ChannelSql}, '{PostgresSessionChanges.ResetPayload}')
            FROM total WHERE n > {PurgeAnnouncedOneByOne})
        SELECT (SELECT n FROM total), (SELECT COUNT(*) FROM announced)
        """;

    // An attribute row has no user id: the statement that locked the session read it (@user).
    private static readonly string AttributeWriteAnnounced = """
        INSERT INTO session_attributes (handle, key, value) VALUES (@handle, @key, @value)
        ON CONFLICT (handle, key) DO UPDATE SET value = excluded.value
        """ + Announce(SessionChangeKind.Changed, user: "CAST(@user AS text)");

    private static readonly string AttributeRemoveAnnounced =
        "DELETE FROM session_attributes WHERE handle = @handle AND key = @key" +
        Announce(SessionChangeKind.Changed, user: "(SELECT s.user_id FROM sessions s WHERE s.handle = session_attributes.handle)");

    private readonly PostgresDatabase _database;
    private readonly bool _announce;

    /// <summary>Sessions in <paramref name="database"/>; changes are not announced.</summary>
    public PostgresSessionStore(PostgresDatabase database)
        : this(database, announceChanges: false)
    {
    }

    /// <summary>
    /// Sessions in <paramref name="database"/>; with <paramref name="announceChanges"/>, every change
    /// is announced on the schema's channel for <see cref="PostgresSessionChangeFeed"/> listeners.
    /// </summary>
    public PostgresSessionStore(PostgresDatabase database, bool announceChanges)
        : base(database, [announceChanges ? Rotate + Announce(SessionChangeKind.Changed) + ";" : Rotate + ";"])
    {
        _database = database;
        _announce = announceChanges;
    }

    /// <summary>True when this store announces its changes (the change feed is on).</summary>
    public bool AnnouncesChanges => _announce;

    /// <inheritdoc />
    public override async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        _announce
            ? await ExecuteAsync(RevokeAnnounced, command => command.With("at", Time(revokedAt)).With("reason", reason).With("handle", handle), cancellationToken).ConfigureAwait(false) == 1
            : await base.RevokeAsync(handle, revokedAt, reason, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        _announce
            ? await ExecuteAsync(RevokeAllAnnounced, command => command
                .With("at", Time(revokedAt)).With("reason", reason).With("user", userId).With("except", exceptHandle), cancellationToken).ConfigureAwait(false)
            : await base.RevokeAllForUserAsync(userId, exceptHandle, revokedAt, reason, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken)
    {
        if (!_announce)
        {
            await base.FlagAsync(handle, flaggedAt, reason, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ExecuteAsync(FlagAnnounced, command => command.With("at", Time(flaggedAt)).With("reason", reason).With("handle", handle), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The most deleted rows a purge announces one by one; a purge that deletes more announces one
    /// reset instead, so a large backlog cannot flood every listener and PostgreSQL's notification queue.
    /// </summary>
    /// <remarks>
    /// Nothing needs a purge's news to stay correct: a purged session had already ended (expired
    /// or revoked before the cutoff, which is the retention period ago), so a near-cached copy of it
    /// is refused anyway (a revoked copy is final, an expired one is read again and not found), and
    /// its revocation was announced when it happened. The announcement only frees cached copies early:
    /// per row while that is cheap, one reset (every listener drops its copies) when it is not.
    /// </remarks>
    public const int PurgeAnnouncedOneByOne = 100;

    /// <summary>
    /// Deletes the sessions that ended before <paramref name="cutoff"/>; with the feed on, announces
    /// each (at most <see cref="PurgeAnnouncedOneByOne"/>) or one reset, in the same statement.
    /// </summary>
    public override async ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        if (!_announce)
        {
            return await base.PurgeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        }

        return await _database.RunAsync((connection, ct) => connection.Command(PurgeAnnounced + ";").With("cutoff", Time(cutoff))
            .ReadFirstAsync(reader => checked((int)reader.GetInt64(0)), ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) =>
        _announce
            ? await ExecuteAsync(AttributeRemoveAnnounced, command => command.With("handle", handle).With("key", key), cancellationToken).ConfigureAwait(false) == 1
            : await base.RemoveAttributeAsync(handle, key, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As the shared store's write (the session's row lock makes concurrent writers take turns, the
    /// count is a statement of its own so it sees what the writer before committed), with the
    /// upsert announcing the change inside the same transaction.
    /// </summary>
    public override ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken)
    {
        if (!_announce)
        {
            return base.SetAttributeAsync(handle, key, value, maxAttributes, cancellationToken);
        }

        return _database.RunAsync(async (connection, ct) =>
        {
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                (bool found, string? user) = await connection.Command("SELECT user_id FROM sessions WHERE handle = @handle FOR UPDATE;", transaction).With("handle", handle)
                    .ReadFirstAsync(reader => (true, reader.GetString(0)), ct).ConfigureAwait(false);
                if (!found)
                {
                    return AttributeWrite.SessionNotFound;
                }

                (long count, long existing) = await connection.Command("SELECT COUNT(*), COUNT(CASE WHEN key = @key THEN 1 END) FROM session_attributes WHERE handle = @handle;", transaction).With("handle", handle).With("key", key)
                    .ReadFirstAsync(reader => (reader.GetInt64(0), reader.GetInt64(1)), ct).ConfigureAwait(false);
                if (existing == 0 && count >= maxAttributes)
                {
                    return AttributeWrite.LimitReached;
                }

                await connection.Command(AttributeWriteAnnounced + ";", transaction).With("handle", handle).With("key", key).With("value", value).With("user", user)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return AttributeWrite.Written;
            }
        }, cancellationToken);
    }

    private static string Announce(SessionChangeKind kind, string handle = "handle", string user = "user_id") => PostgresSessionChanges.Returning(kind, handle, user);

    private static object Time(DateTimeOffset value) => PostgresDialect.Instance.Time(value);

    // The public method's name goes on to the store-call measurement, not the helper's.
    private ValueTask<int> ExecuteAsync(string sql, Func<NpgsqlCommand, NpgsqlCommand> bind, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string caller = "") =>
        _database.RunAsync((connection, ct) => bind(connection.Command(sql + ";")).ExecuteAsync(ct), cancellationToken, caller);
}
