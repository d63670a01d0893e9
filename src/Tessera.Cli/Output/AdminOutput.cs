using System.Globalization;
using System.Text.Json;
using Tessera.Audit;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.Cli.Output;

/// <summary>
/// Users, sessions and audit events as the administration commands print them: table cells with
/// UTC ISO-8601 times to the second, and JSON in the admin API's shapes (camelCase, full times).
/// </summary>
internal static class AdminOutput
{
    /// <summary>The table columns of <see cref="UserRow"/>.</summary>
    public static readonly string[] UserHeaders = ["USERNAME", "USER ID", "CREATED", "ROLES", "STATUS"];

    /// <summary>The table columns of <see cref="SessionRow"/>.</summary>
    public static readonly string[] SessionHeaders = ["SESSION ID", "DEVICE", "ADDRESS", "LAST SEEN", "MODE", "CREATED", "EXPIRES"];

    /// <summary>The table columns of <see cref="AuditRow"/>.</summary>
    public static readonly string[] AuditHeaders = ["SEQ", "AT", "TYPE", "ACTOR", "USER ID", "SESSION ID", "CLIENT", "ADDRESS", "OUTCOME", "DETAIL"];

    /// <summary>An instant in UTC, ISO-8601 to the second: <c>2026-12-06T12:30:11Z</c>.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Whether the user is locked by an administrator at <paramref name="now"/>.</summary>
    public static bool IsLocked(UserRecord user, DateTimeOffset now) => user.LockedUntil is { } until && until > now;

    /// <summary><c>active</c>, <c>disabled since …</c>, <c>locked until …</c> (or <c>until unlocked</c>), or both.</summary>
    public static string Status(UserRecord user, DateTimeOffset now)
    {
        var parts = new List<string>(2);
        if (user.DisabledAt is { } disabled)
        {
            parts.Add($"disabled since {Time(disabled)}");
        }

        if (IsLocked(user, now))
        {
            parts.Add(user.LockedUntil == DateTimeOffset.MaxValue ? "locked until unlocked" : $"locked until {Time(user.LockedUntil!.Value)}");
        }

        return parts.Count == 0 ? "active" : string.Join(", ", parts);
    }

    public static string[] UserRow(UserRecord user, DateTimeOffset now) =>
        [user.Username, user.Id, Time(user.CreatedAt), string.Join(' ', user.Roles), Status(user, now)];

    public static string[] SessionRow(SessionRecord session) =>
        [session.Handle, DeviceNames.Describe(session.UserAgent) ?? string.Empty, session.ClientIp ?? string.Empty, Time(session.LastSeenAt),
            session.Kind, Time(session.CreatedAt), Time(session.IdleExpiresAt < session.AbsoluteExpiresAt ? session.IdleExpiresAt : session.AbsoluteExpiresAt)];

    public static string[] AuditRow(AuditEvent auditEvent) =>
        [auditEvent.Sequence.ToString(CultureInfo.InvariantCulture), Time(auditEvent.At), auditEvent.Type, auditEvent.ActorId ?? string.Empty,
            auditEvent.UserId ?? string.Empty, auditEvent.SessionId ?? string.Empty, auditEvent.ClientId ?? string.Empty,
            auditEvent.Address ?? string.Empty, auditEvent.Outcome ?? string.Empty, auditEvent.Detail ?? string.Empty];

    /// <summary>
    /// A user as the admin API shows one: <c>id</c>, <c>username</c>, <c>createdAt</c>, <c>roles</c>,
    /// <c>disabledAt</c> and <c>lockedUntil</c> (null when not locked now; a lock until unlocked is
    /// <c>9999-12-31T23:59:59.9999999+00:00</c>). The members are left open for the caller to add to.
    /// </summary>
    public static void WriteUserMembers(Utf8JsonWriter writer, UserRecord user, DateTimeOffset now)
    {
        writer.WriteString("id", user.Id);
        writer.WriteString("username", user.Username);
        writer.WriteString("createdAt", user.CreatedAt);
        writer.WriteStartArray("roles");
        foreach (string role in user.Roles)
        {
            writer.WriteStringValue(role);
        }

        writer.WriteEndArray();
        WriteTimeOrNull(writer, "disabledAt", user.DisabledAt);
        WriteTimeOrNull(writer, "lockedUntil", IsLocked(user, now) ? user.LockedUntil : null);
    }

    public static void WriteUser(Utf8JsonWriter writer, UserRecord user, DateTimeOffset now)
    {
        writer.WriteStartObject();
        WriteUserMembers(writer, user, now);
        writer.WriteEndObject();
    }

    /// <summary>A session as <c>GET /auth/sessions</c> shows one (without <c>current</c>, which means nothing here), with <c>clientId</c>.</summary>
    public static void WriteSession(Utf8JsonWriter writer, SessionRecord session)
    {
        writer.WriteStartObject();
        writer.WriteString("id", session.Handle);
        writer.WriteString("createdAt", session.CreatedAt);
        writer.WriteString("lastSeenAt", session.LastSeenAt);
        writer.WriteString("idleExpiresAt", session.IdleExpiresAt);
        writer.WriteString("absoluteExpiresAt", session.AbsoluteExpiresAt);
        WriteStringOrNull(writer, "ip", session.ClientIp);
        WriteStringOrNull(writer, "userAgent", session.UserAgent);
        writer.WriteBoolean("flagged", session.FlaggedAt is not null);
        writer.WriteString("kind", session.Kind);
        WriteStringOrNull(writer, "device", DeviceNames.Describe(session.UserAgent));
        WriteStringOrNull(writer, "clientId", session.ClientId);
        writer.WriteEndObject();
    }

    public static void WriteSessions(Utf8JsonWriter writer, string name, IEnumerable<SessionRecord> sessions)
    {
        writer.WriteStartArray(name);
        foreach (SessionRecord session in sessions)
        {
            WriteSession(writer, session);
        }

        writer.WriteEndArray();
    }

    /// <summary>An audit event as the admin API shows one (camelCase members, nulls kept).</summary>
    public static void WriteAuditEvent(Utf8JsonWriter writer, AuditEvent auditEvent)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", auditEvent.Sequence);
        writer.WriteString("at", auditEvent.At);
        writer.WriteString("type", auditEvent.Type);
        WriteStringOrNull(writer, "actorId", auditEvent.ActorId);
        WriteStringOrNull(writer, "userId", auditEvent.UserId);
        WriteStringOrNull(writer, "sessionId", auditEvent.SessionId);
        WriteStringOrNull(writer, "clientId", auditEvent.ClientId);
        WriteStringOrNull(writer, "address", auditEvent.Address);
        WriteStringOrNull(writer, "outcome", auditEvent.Outcome);
        WriteStringOrNull(writer, "detail", auditEvent.Detail);
        writer.WriteEndObject();
    }

    private static void WriteTimeOrNull(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
