using System.Data.Common;
using System.Globalization;
using Tessera.Sessions;

namespace Tessera.Stores.Sql;

/// <summary>
/// The <c>sessions</c> table's row layout, the same in every SQL backend: the column list, the
/// parameters of an insert and the mapping of a row back to a <see cref="SessionRecord"/>. The OAuth
/// grant columns (<c>client_id</c>, <c>scope</c>, <c>authenticated_at</c>) are NULL for first-party
/// sessions, which is what every row written before them holds, so they did not change the format;
/// nor did <c>generation</c> (0) and <c>rotated_by</c> (NULL), what a session that never rotated holds,
/// nor <c>authentication_methods</c> and <c>key_thumbprint</c> (NULL: a password sign-in, not bound
/// to a DPoP key), what every session before issue #16 was. A rotation updates the row in place, so
/// both stay what the sign-in wrote.
/// </summary>
public static class SqlSessionRows
{
    /// <summary>Every column, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "handle, secret_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, "
        + "client_ip, user_agent, revoked_at, revoked_reason, flagged_at, flag_reason, format, kind, previous_secret_hash, secret_rotated_at, "
        + "client_id, scope, authenticated_at, generation, rotated_by, authentication_methods, key_thumbprint";

    /// <summary>The parameters of <see cref="Columns"/>, named as the shared insert statement names them.</summary>
    public const string Parameters = "@handle, @hash, @user, @created, @seen, @idle, @absolute, "
        + "@ip, @agent, @revoked, @reason, @flagged, @flag, @format, @kind, @previous, @rotated, "
        + "@client, @scope, @authenticated, @generation, @rotatedBy, @amr, @jkt";

    /// <summary>Binds every field of <paramref name="session"/> to <see cref="Parameters"/>.</summary>
    public static DbCommand WithSession(this DbCommand command, SessionRecord session, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(dialect);
        return command
            .With("handle", session.Handle).With("hash", session.SecretHash).With("user", session.UserId)
            .With("created", dialect.Time(session.CreatedAt)).With("seen", dialect.Time(session.LastSeenAt))
            .With("idle", dialect.Time(session.IdleExpiresAt)).With("absolute", dialect.Time(session.AbsoluteExpiresAt))
            .With("ip", session.ClientIp).With("agent", session.UserAgent)
            .With("revoked", dialect.TimeOrNull(session.RevokedAt)).With("reason", session.RevocationReason)
            .With("flagged", dialect.TimeOrNull(session.FlaggedAt)).With("flag", session.FlagReason)
            .With("format", session.FormatVersion).With("kind", session.Kind)
            .With("previous", session.PreviousSecretHash).With("rotated", dialect.TimeOrNull(session.SecretRotatedAt))
            .With("client", session.ClientId).With("scope", session.Scope).With("authenticated", dialect.TimeOrNull(session.AuthenticatedAt))
            .With("generation", session.Generation).With("rotatedBy", session.RotatedBy)
            .With("amr", session.AuthenticationMethods).With("jkt", session.KeyThumbprint);
    }

    /// <summary>The session in the current row (selected with <see cref="Columns"/>); refuses a format this version cannot read.</summary>
    public static SessionRecord Read(DbDataReader reader, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(dialect);
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
            CreatedAt = dialect.ReadTime(reader, 3),
            LastSeenAt = dialect.ReadTime(reader, 4),
            IdleExpiresAt = dialect.ReadTime(reader, 5),
            AbsoluteExpiresAt = dialect.ReadTime(reader, 6),
            ClientIp = reader.StringOrNull(7),
            UserAgent = reader.StringOrNull(8),
            RevokedAt = dialect.ReadTimeOrNull(reader, 9),
            RevocationReason = reader.StringOrNull(10),
            FlaggedAt = dialect.ReadTimeOrNull(reader, 11),
            FlagReason = reader.StringOrNull(12),
            FormatVersion = format,
            Kind = reader.GetString(14),
            PreviousSecretHash = reader.BytesOrNull(15),
            SecretRotatedAt = dialect.ReadTimeOrNull(reader, 16),
            ClientId = reader.StringOrNull(17),
            Scope = reader.StringOrNull(18),
            AuthenticatedAt = dialect.ReadTimeOrNull(reader, 19),
            Generation = reader.GetInt64(20),
            RotatedBy = reader.BytesOrNull(21),
            AuthenticationMethods = reader.StringOrNull(22),
            KeyThumbprint = reader.StringOrNull(23),
        };
    }
}
