using System.Globalization;
using Microsoft.Data.Sqlite;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>
/// Sessions in the SQLite file, with every optional capability. Single statements are atomic on
/// their own (the compare-and-swap rotation is one guarded UPDATE); read-modify-write sequences run
/// in <c>BEGIN IMMEDIATE</c> transactions so concurrent writers queue instead of interleaving.
/// </summary>
public sealed class SqliteSessionStore(SqliteDatabase database)
    : ISessionStore, ISessionListing, ISessionSecretRotation, ISessionAttributeStore, ISessionCleanup
{
    private const string Columns = "handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, "
        + "client_ip, user_agent, revoked_at, revoked_reason, flagged_at, flag_reason, format, kind, previous_secret_hash, secret_rotated_at";

    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await database.RunAsync((connection, ct) => connection.Command($"""
                INSERT INTO sessions ({Columns}) VALUES ($handle, $hash, $user, $created, $seen, $idle, $absolute,
                    $ip, $agent, $revoked, $reason, $flagged, $flag, $format, $kind, $previous, $rotated);
                """)
            .With("$handle", session.Handle).With("$hash", session.SecretHash.ToArray()).With("$user", session.UserId)
            .With("$created", SqliteValues.ToUnixMs(session.CreatedAt)).With("$seen", SqliteValues.ToUnixMs(session.LastSeenAt))
            .With("$idle", SqliteValues.ToUnixMs(session.IdleExpiresAt)).With("$absolute", SqliteValues.ToUnixMs(session.AbsoluteExpiresAt))
            .With("$ip", SqliteValues.OrNull(session.ClientIp)).With("$agent", SqliteValues.OrNull(session.UserAgent))
            .With("$revoked", SqliteValues.ToUnixMsOrNull(session.RevokedAt)).With("$reason", SqliteValues.OrNull(session.RevocationReason))
            .With("$flagged", SqliteValues.ToUnixMsOrNull(session.FlaggedAt)).With("$flag", SqliteValues.OrNull(session.FlagReason))
            .With("$format", session.FormatVersion).With("$kind", session.Kind)
            .With("$previous", session.PreviousSecretHash is { } previous ? previous.ToArray() : DBNull.Value)
            .With("$rotated", SqliteValues.ToUnixMsOrNull(session.SecretRotatedAt))
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SessionRecord?> FindBySecretHashAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM sessions WHERE secret_hash = $key;", "$key", secretHash.ToArray(), null, cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    public async ValueTask<SessionRecord?> FindByHandleAsync(string handle, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM sessions WHERE handle = $key;", "$key", handle, null, cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    public async ValueTask TouchAsync(string handle, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET last_seen_at = $seen, idle_expires_at = $idle
                WHERE handle = $handle AND revoked_at IS NULL AND last_seen_at < $seen;
                """)
            .With("$seen", SqliteValues.ToUnixMs(lastSeenAt)).With("$idle", SqliteValues.ToUnixMs(idleExpiresAt)).With("$handle", handle)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> RevokeAsync(string handle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET revoked_at = $at, revoked_reason = $reason WHERE handle = $handle AND revoked_at IS NULL;
                """)
            .With("$at", SqliteValues.ToUnixMs(revokedAt)).With("$reason", reason).With("$handle", handle)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public async ValueTask FlagAsync(string handle, DateTimeOffset flaggedAt, string reason, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET flagged_at = $at, flag_reason = $reason WHERE handle = $handle AND flagged_at IS NULL;
                """)
            .With("$at", SqliteValues.ToUnixMs(flaggedAt)).With("$reason", reason).With("$handle", handle)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await QueryAsync($"""
                SELECT {Columns} FROM sessions
                WHERE user_id = $key AND revoked_at IS NULL AND idle_expires_at > $now AND absolute_expires_at > $now
                ORDER BY created_at DESC, handle;
                """, "$key", userId, SqliteValues.ToUnixMs(now), cancellationToken).ConfigureAwait(false);

    public ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken) =>
        database.RunAsync((connection, ct) => connection.Command("""
                UPDATE sessions SET revoked_at = $at, revoked_reason = $reason
                WHERE user_id = $user AND revoked_at IS NULL AND ($except IS NULL OR handle <> $except);
                """)
            .With("$at", SqliteValues.ToUnixMs(revokedAt)).With("$reason", reason).With("$user", userId)
            .With("$except", SqliteValues.OrNull(exceptHandle))
            .ExecuteAsync(ct), cancellationToken);

    public async ValueTask<SessionRecord?> FindByPreviousSecretHashAsync(ReadOnlyMemory<byte> previousHash, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM sessions WHERE previous_secret_hash = $key;", "$key", previousHash.ToArray(), null, cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    public async ValueTask<SessionRecord?> FindByRetiredSecretHashAsync(ReadOnlyMemory<byte> retiredHash, CancellationToken cancellationToken) =>
        (await QueryAsync($"""
                SELECT {Columns} FROM sessions
                WHERE handle = (SELECT handle FROM session_retired_secrets WHERE secret_hash = $key);
                """, "$key", retiredHash.ToArray(), null, cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    public ValueTask<bool> TryRotateSecretAsync(string handle, ReadOnlyMemory<byte> expectedHash, ReadOnlyMemory<byte> nextHash, DateTimeOffset rotatedAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    // One guarded UPDATE: the WHERE clause is the compare, the SET the swap and the touch
                    // (last seen only moves forward, like TouchAsync).
                    int changed = await connection.Command("""
                            UPDATE sessions SET secret_hash = $next, previous_secret_hash = secret_hash, secret_rotated_at = $at,
                                last_seen_at = MAX(last_seen_at, $at), idle_expires_at = $idle
                            WHERE handle = $handle AND secret_hash = $expected AND revoked_at IS NULL;
                            """, transaction)
                        .With("$next", nextHash.ToArray()).With("$at", SqliteValues.ToUnixMs(rotatedAt)).With("$idle", SqliteValues.ToUnixMs(idleExpiresAt))
                        .With("$handle", handle).With("$expected", expectedHash.ToArray())
                        .ExecuteAsync(ct).ConfigureAwait(false);
                    if (changed != 1)
                    {
                        return false;
                    }

                    await connection.Command("INSERT INTO session_retired_secrets (secret_hash, handle) VALUES ($expected, $handle);", transaction)
                        .With("$expected", expectedHash.ToArray()).With("$handle", handle)
                        .ExecuteAsync(ct).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return true;
                }
                catch (SqliteException ex) when (SqliteErrors.IsConstraintViolation(ex))
                {
                    return false;
                }
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string handle, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyDictionary<string, string>>(async (connection, ct) =>
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            SqliteCommand command = connection.Command("SELECT key, value FROM session_attributes WHERE handle = $handle;").With("$handle", handle);
            await using (command.ConfigureAwait(false))
            {
                SqliteDataReader reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        attributes[reader.GetString(0)] = reader.GetString(1);
                    }
                }
            }

            return attributes;
        }, cancellationToken);

    public ValueTask<AttributeWrite> SetAttributeAsync(string handle, string key, string value, int maxAttributes, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                SqliteCommand probe = connection.Command("""
                        SELECT (SELECT COUNT(*) FROM sessions WHERE handle = $handle),
                               (SELECT COUNT(*) FROM session_attributes WHERE handle = $handle),
                               (SELECT COUNT(*) FROM session_attributes WHERE handle = $handle AND key = $key);
                        """, transaction).With("$handle", handle).With("$key", key);
                long sessions, count, existing;
                await using (probe.ConfigureAwait(false))
                {
                    SqliteDataReader reader = await probe.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        (sessions, count, existing) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                    }
                }

                if (sessions == 0)
                {
                    return AttributeWrite.SessionNotFound;
                }

                if (existing == 0 && count >= maxAttributes)
                {
                    return AttributeWrite.LimitReached;
                }

                await connection.Command("""
                        INSERT INTO session_attributes (handle, key, value) VALUES ($handle, $key, $value)
                        ON CONFLICT (handle, key) DO UPDATE SET value = excluded.value;
                        """, transaction)
                    .With("$handle", handle).With("$key", key).With("$value", value)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return AttributeWrite.Written;
            }
        }, cancellationToken);

    public async ValueTask<bool> RemoveAttributeAsync(string handle, string key, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("DELETE FROM session_attributes WHERE handle = $handle AND key = $key;")
            .With("$handle", handle).With("$key", key)
            .ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public ValueTask<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.RunAsync((connection, ct) => connection.Command("""
                DELETE FROM sessions WHERE idle_expires_at < $cutoff OR absolute_expires_at < $cutoff OR revoked_at < $cutoff;
                """)
            .With("$cutoff", SqliteValues.ToUnixMs(cutoff))
            .ExecuteAsync(ct), cancellationToken);

    private ValueTask<IReadOnlyList<SessionRecord>> QueryAsync(string sql, string keyName, object key, long? now, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<SessionRecord>>(async (connection, ct) =>
        {
            SqliteCommand command = connection.Command(sql).With(keyName, key);
            if (now is { } at)
            {
                command.With("$now", at);
            }

            var sessions = new List<SessionRecord>();
            await using (command.ConfigureAwait(false))
            {
                SqliteDataReader reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        sessions.Add(Read(reader));
                    }
                }
            }

            return sessions;
        }, cancellationToken);

    private static SessionRecord Read(SqliteDataReader reader)
    {
        int format = reader.GetInt32(13);
        if (format != SessionRecord.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A session record has format {format}, which this version cannot read."));
        }

        return new SessionRecord
        {
            Handle = reader.GetString(0),
            SecretHash = (byte[])reader.GetValue(1),
            UserId = reader.GetString(2),
            CreatedAt = SqliteValues.Time(reader, 3),
            LastSeenAt = SqliteValues.Time(reader, 4),
            IdleExpiresAt = SqliteValues.Time(reader, 5),
            AbsoluteExpiresAt = SqliteValues.Time(reader, 6),
            ClientIp = SqliteValues.StringOrNull(reader, 7),
            UserAgent = SqliteValues.StringOrNull(reader, 8),
            RevokedAt = SqliteValues.TimeOrNull(reader, 9),
            RevocationReason = SqliteValues.StringOrNull(reader, 10),
            FlaggedAt = SqliteValues.TimeOrNull(reader, 11),
            FlagReason = SqliteValues.StringOrNull(reader, 12),
            FormatVersion = format,
            Kind = reader.GetString(14),
            PreviousSecretHash = reader.IsDBNull(15) ? (ReadOnlyMemory<byte>?)null : (byte[])reader.GetValue(15),
            SecretRotatedAt = SqliteValues.TimeOrNull(reader, 16),
        };
    }
}
