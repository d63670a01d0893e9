using System.Buffers;
using System.Text;
using System.Text.Json;
using Tessera.Sessions.Changes;

namespace Tessera.PostgreSql;

/// <summary>
/// The wire format of the PostgreSQL session change feed, in one place for both ends: the channel
/// every instance on one schema shares, and the payload, <c>{"kind":"revoked","handle":"…","user":"…"}</c>.
/// A payload names a session and its user only, never a secret or a secret hash.
/// </summary>
/// <remarks>
/// The channel is derived from the schema the connection works in (<c>current_schema()</c>), so two
/// deployments sharing a database in different schemas (<c>Search Path</c>) do not hear each other,
/// and the writer and the listener, using the same connection string, always agree. A channel name
/// is an identifier: at most 63 bytes, so a long schema name is replaced by its MD5.
/// A notification payload is at most 8000 bytes (PostgreSQL's <c>NOTIFY</c>), and an oversized one
/// would fail the change it announces: a user id over <see cref="MaxUserBytes"/> is left out (a
/// listener then drops by handle only), a handle over <see cref="MaxHandleBytes"/> turns the
/// payload into a reset (every listener reloads), which is always safe.
/// </remarks>
internal static class PostgresSessionChanges
{
    /// <summary>The longest user id a payload carries; a longer one is left out.</summary>
    public const int MaxUserBytes = 1024;

    /// <summary>The longest handle a payload carries; a longer one turns the payload into a reset.</summary>
    public const int MaxHandleBytes = 1024;

    /// <summary>The payload that tells every listener to reload.</summary>
    public const string ResetPayload = """{"kind":"reset"}""";

    private const string Prefix = "tessera_sessions.";

    /// <summary>The channel, as a SQL expression both the writing statements and the listener evaluate.</summary>
    public const string ChannelSql =
        $"(CASE WHEN octet_length(current_schema()) <= 46 THEN '{Prefix}' || current_schema() ELSE '{Prefix}' || md5(current_schema()) END)";

    /// <summary>
    /// A <c>RETURNING</c> clause that announces each row the statement changed, in the statement
    /// itself: PostgreSQL delivers a notification when the transaction commits and drops it when
    /// it rolls back, so only committed changes are heard (PostgreSQL docs, NOTIFY).
    /// </summary>
    /// <param name="kind">What happened to each row.</param>
    /// <param name="handle">The SQL expression of the row's handle.</param>
    /// <param name="user">The SQL expression of the row's user id.</param>
    public static string Returning(SessionChangeKind kind, string handle = "handle", string user = "user_id") =>
        $" RETURNING pg_notify({ChannelSql}, {PayloadSql(kind, handle, user)})";

    /// <summary>The payload of <paramref name="kind"/> for a row, as a SQL expression.</summary>
    public static string PayloadSql(SessionChangeKind kind, string handle, string user) =>
        $"CASE WHEN octet_length({handle}) <= {MaxHandleBytes} " +
        $"THEN json_build_object('kind', '{Name(kind)}', 'handle', {handle}, 'user', CASE WHEN octet_length({user}) <= {MaxUserBytes} THEN {user} END)::text " +
        $"ELSE '{ResetPayload}' END";

    /// <summary>The payload of <paramref name="change"/>, as <see cref="PayloadSql"/> writes it.</summary>
    public static string Payload(SessionChange change)
    {
        ArgumentNullException.ThrowIfNull(change.Handle);
        if (Encoding.UTF8.GetByteCount(change.Handle) > MaxHandleBytes)
        {
            return ResetPayload;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Name(change.Kind));
            json.WriteString("handle", change.Handle);
            if (change.UserId is not null && Encoding.UTF8.GetByteCount(change.UserId) <= MaxUserBytes)
            {
                json.WriteString("user", change.UserId);
            }
            else
            {
                json.WriteNull("user");
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads a payload: a change, or null when the listeners must reset (a reset payload, or one
    /// this version cannot read, such as a kind added later: treating it as "anything may have
    /// changed" is the only safe reading).
    /// </summary>
    public static SessionChange? Read(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("kind", out JsonElement kind) || kind.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("handle", out JsonElement handle) || handle.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            SessionChangeKind? parsed = kind.GetString() switch
            {
                "revoked" => SessionChangeKind.Revoked,
                "changed" => SessionChangeKind.Changed,
                "deleted" => SessionChangeKind.Deleted,
                _ => null,
            };
            string? user = root.TryGetProperty("user", out JsonElement u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            string? name = handle.GetString();
            return parsed is null || string.IsNullOrEmpty(name) ? null : new SessionChange(parsed.Value, name, user);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a lone surrogate escape ("\ud800"), valid JSON grammar but no text, throws when read.
            return null;
        }
    }

    private static string Name(SessionChangeKind kind) => kind switch
    {
        SessionChangeKind.Revoked => "revoked",
        SessionChangeKind.Changed => "changed",
        SessionChangeKind.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a session change kind."),
    };
}
