using System.Globalization;
using Npgsql;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>
/// Sessions in PostgreSQL, with every optional capability, safe across server instances. Each
/// write is one statement whose WHERE clause re-checks the row after any lock wait (READ
/// COMMITTED re-evaluates it on the newest version), so guarded updates are compare-and-swap;
/// the attribute limit locks the session row for its count-then-write.
/// </summary>
public sealed class PostgresSessionStore(PostgresDatabase database)
    : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup
{
    private const string Columns = "handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, "
        + "client_ip, user_agent, revoked_at, revoked_reason, flagged_at, flag_reason, format, kind, previous_secret_hash, secret_rotated_at";

    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO sessions ({Columns}) VALUES (@handle, @hash, @user, @created, @seen, @idle, @absolute,
                    @ip, @agent, @revoked, @reason, @flagged, @flag, @format, @kind, @previous, @rotated);
                """)
            .With("handle", session.Handle).With("hash", session.SecretHash).With("user", session.UserId)
            .With("created", session.CreatedAt).With("seen", session.LastSeenAt)
            .With("idle", session.IdleExpiresAt).With("absolute", session.AbsoluteExpiresAt)
            .With("ip", session.ClientIp).With("agent", session.UserAgent)
            .With("revoked", session.RevokedAt).With("reason", session.RevocationReason)
            .With("flagged", session.FlaggedAt).With("flag", session.FlagReason)
            .With("format", session.FormatVersion).With("kind", session.Kind)
            .With("previous", session.PreviousSecretHash).With("rotated", session.SecretRotatedAt)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        FindOneAsync($"SELECT {Columns} FROM sessions WHERE secret_hash = @key;", secretHash, cancellationToken);

    public ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) =>
        FindOneAsync($"SELECT {Columns} FROM sessions WHERE handle = @key;", handle, cancellationToken);

    public async ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET last_seen_at = @seen, idle_expires_at = @idle
                WHERE handle = @handle AND revoked_at IS NULL AND last_seen_at < @seen;
                """)
            .With("seen", lastSeenAt).With("idle", idleExpiresAt).With("handle", handle)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET revoked_at = @at, revoked_reason = @reason WHERE handle = @handle AND revoked_at IS NULL;
                """)
            .With("at", revokedAt).With("reason", reason).With("handle", handle)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET flagged_at = @at, flag_reason = @reason WHERE handle = @handle AND flagged_at IS NULL;
                """)
            .With("at", flaggedAt).With("reason", reason).With("handle", handle)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    public ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<SessionRecord>>(async (connection, ct) => await connection.Command($"""
                SELECT {Columns} FROM sessions
                WHERE user_id = @user AND revoked_at IS NULL AND idle_expires_at > @now AND absolute_expires_at > @now
                ORDER BY created_at DESC, handle COLLATE "C";
                """)
            .With("user", userId).With("now", now)
            .ReadAllAsync(Read, ct).ConfigureAwait(false), cancellationToken);

    public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET revoked_at = @at, revoked_reason = @reason
                WHERE user_id = @user AND revoked_at IS NULL AND (@except::text IS NULL OR handle <> @except::text);
                """)
            .With("at", revokedAt).With("reason", reason).With("user", userId).With("except", exceptHandle)
            .ExecuteAsync(ct), cancellationToken);

    public ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) =>
        FindOneAsync($"SELECT {Columns} FROM sessions WHERE previous_secret_hash = @key;", previousHash, cancellationToken);

    public ValueTask<SessionRecord?> FindByRetiredSecretHashAsync(ReadOnlyMemory<byte> retiredHash, CancellationToken cancellationToken) =>
        FindOneAsync($"""
                SELECT {Columns} FROM sessions
                WHERE handle = (SELECT handle FROM session_retired_secrets WHERE secret_hash = @key);
                """, retiredHash, cancellationToken);

    /// <summary>
    /// One statement, so the compare-and-swap holds across every server instance: the UPDATE's
    /// WHERE is the compare (a concurrent rotation that committed first makes it match nothing),
    /// its SET the swap and the touch (last seen only forward), and the retired hash is recorded in
    /// the same statement. A next hash that
    /// collides with another session's fails the unique index and rolls the whole statement back.
    /// </summary>
    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            try
            {
                return await connection.Command("""
                        WITH rotated AS (
                            UPDATE sessions SET secret_hash = @next, previous_secret_hash = secret_hash, secret_rotated_at = @at,
                                last_seen_at = GREATEST(last_seen_at, @at), idle_expires_at = @idle
                            WHERE handle = @handle AND secret_hash = @expected AND revoked_at IS NULL
                            RETURNING handle
                        )
                        INSERT INTO session_retired_secrets (secret_hash, handle) SELECT @expected, handle FROM rotated;
                        """)
                    .With("next", nextHash).With("at", rotatedAt).With("idle", idleExpiresAt).With("handle", handle).With("expected", expectedHash)
                    .ExecuteAsync(ct).ConfigureAwait(false) == 1;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return false;
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyDictionary<string, string>>(async (connection, ct) =>
            (await connection.Command("SELECT key, value FROM session_attributes WHERE handle = @handle;").With("handle", handle)
                .ReadAllAsync(reader => (Key: reader.GetString(0), Value: reader.GetString(1)), ct).ConfigureAwait(false))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), cancellationToken);

    public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Locking the session row makes concurrent writers of one session take turns. The
                // count is a statement of its own: under READ COMMITTED it then sees what the
                // writer before us committed (a subquery beside FOR UPDATE would not).
                bool found = (await connection.Command("SELECT 1 FROM sessions WHERE handle = @handle FOR UPDATE;", transaction).With("handle", handle)
                    .ReadAllAsync(_ => true, ct).ConfigureAwait(false)).Count == 1;
                if (!found)
                {
                    return AttributeWrite.SessionNotFound;
                }

                (long Count, bool Exists) probe = (await connection.Command("""
                        SELECT COUNT(*), COUNT(*) FILTER (WHERE key = @key) > 0 FROM session_attributes WHERE handle = @handle;
                        """, transaction).With("handle", handle).With("key", key)
                    .ReadAllAsync(reader => (reader.GetInt64(0), reader.GetBoolean(1)), ct).ConfigureAwait(false)).Single();
                if (!probe.Exists && probe.Count >= maxAttributes)
                {
                    return AttributeWrite.LimitReached;
                }

                await connection.Command("""
                        INSERT INTO session_attributes (handle, key, value) VALUES (@handle, @key, @value)
                        ON CONFLICT (handle, key) DO UPDATE SET value = excluded.value;
                        """, transaction)
                    .With("handle", handle).With("key", key).With("value", value)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return AttributeWrite.Written;
            }
        }, cancellationToken);

    public async ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("DELETE FROM session_attributes WHERE handle = @handle AND key = @key;")
            .With("handle", handle).With("key", key)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.RunAsync((connection, ct) => connection.Command("""
                DELETE FROM sessions WHERE idle_expires_at < @cutoff OR absolute_expires_at < @cutoff OR revoked_at < @cutoff;
                """)
            .With("cutoff", cutoff)
            .ExecuteAsync(ct), cancellationToken);

    private ValueTask<SessionRecord?> FindOneAsync(string sql, object key, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
            (await connection.Command(sql).With("key", key).ReadAllAsync(Read, ct).ConfigureAwait(false)).SingleOrDefault(), cancellationToken);

    private static SessionRecord Read(NpgsqlDataReader reader)
    {
        int format = reader.GetInt32(13);
        if (format != SessionRecord.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A session record has format {format}, which this version cannot read."));
        }

        return new SessionRecord
        {
            Handle = reader.GetString(0),
            SecretHash = reader.GetFieldValue<byte[]>(1),
            UserId = reader.GetString(2),
            CreatedAt = reader.Time(3),
            LastSeenAt = reader.Time(4),
            IdleExpiresAt = reader.Time(5),
            AbsoluteExpiresAt = reader.Time(6),
            ClientIp = reader.StringOrNull(7),
            UserAgent = reader.StringOrNull(8),
            RevokedAt = reader.TimeOrNull(9),
            RevocationReason = reader.StringOrNull(10),
            FlaggedAt = reader.TimeOrNull(11),
            FlagReason = reader.StringOrNull(12),
            FormatVersion = format,
            Kind = reader.GetString(14),
            PreviousSecretHash = reader.IsDBNull(15) ? (ReadOnlyMemory<byte>?)null : reader.GetFieldValue<byte[]>(15),
            SecretRotatedAt = reader.TimeOrNull(16),
        };
    }
}
