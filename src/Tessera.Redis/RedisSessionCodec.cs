using System.Buffers.Text;
using System.Globalization;
using System.Text;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// A <see cref="SessionRecord"/> as the fields of a Redis hash (names in <see cref="RedisSessionScripts"/>):
/// times as Unix milliseconds, hashes as base64url (they are also part of index key names), absent
/// fields for nulls, and the record format in <c>v</c>. The OAuth grant (<c>ci</c> client, <c>sc</c>
/// scope, <c>at</c> authentication time) is absent on first-party sessions, as on every hash written
/// before it existed, so it did not change the format; nor did the generation <c>g</c> (absent: 0)
/// and the rotating client <c>rb</c> (absent: none), what a session that never rotated holds.
/// Issue #16's <c>am</c> (the sign-in's RFC 8176 <c>amr</c> values) and <c>jk</c> (the RFC 7638
/// thumbprint of the DPoP key the tokens are bound to) follow the same rule: absent on every hash
/// written before them, which were password sign-ins and unbound, so they read back as null and
/// the format <c>v</c> (and the key layout version) stays. A rotation sets only its own fields, so
/// both survive it.
/// <para>
/// Issue #13: a hash stays in Redis's compact listpack encoding only while every value is at most
/// <c>hash-max-listpack-value</c> bytes (64 by default); one longer value turns the whole hash into a
/// hashtable, about 550 bytes more per session. Every browser's User-Agent is longer than that, so
/// the user agent is written in pieces of at most <see cref="PieceBytes"/> UTF-8 bytes, cut between
/// characters: the first in <c>ua</c>, the following ones in <c>ua1</c>, <c>ua2</c>, … (absent when
/// it fits in one). A hash written before (the whole user agent in <c>ua</c>) reads the same, and a
/// build that knows only <c>ua</c> reads the start of the user agent (it is shown, never checked),
/// so the format <c>v</c> stays. The other values are hashes, addresses, times and short names under
/// the limit; only an OAuth grant's scope (<c>sc</c>) can be longer, and is kept whole (it is checked).
/// </para>
/// </summary>
internal static class RedisSessionCodec
{
    /// <summary>The longest piece of a user agent: Redis's default <c>hash-max-listpack-value</c>.</summary>
    public const int PieceBytes = 64;

    private const string UserAgentField = "ua";

    public static string Hash(ReadOnlySpan<byte> hash) => Base64Url.EncodeToString(hash);

    public static string Time(DateTimeOffset value) => value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The field/value pairs of a new session, in the order HSET takes them.</summary>
    public static List<RedisValue> Fields(SessionRecord session)
    {
        List<RedisValue> fields =
        [
            "v", session.FormatVersion, "u", session.UserId, "h", Hash(session.SecretHash.Span), "k", session.Kind,
            "c", Time(session.CreatedAt), "ls", Time(session.LastSeenAt), "ie", Time(session.IdleExpiresAt), "ae", Time(session.AbsoluteExpiresAt),
        ];
        Add(fields, "ip", session.ClientIp);
        AddInPieces(fields, UserAgentField, session.UserAgent);
        Add(fields, "ra", session.RevokedAt is { } revoked ? Time(revoked) : null);
        Add(fields, "rr", session.RevocationReason);
        Add(fields, "fa", session.FlaggedAt is { } flagged ? Time(flagged) : null);
        Add(fields, "fr", session.FlagReason);
        Add(fields, "ph", session.PreviousSecretHash is { } previous ? Hash(previous.Span) : null);
        Add(fields, "rt", session.SecretRotatedAt is { } rotated ? Time(rotated) : null);
        Add(fields, "g", session.Generation == 0 ? null : session.Generation.ToString(CultureInfo.InvariantCulture));
        Add(fields, "rb", session.RotatedBy is { } rotatedBy ? Hash(rotatedBy.Span) : null);
        Add(fields, "ci", session.ClientId);
        Add(fields, "sc", session.Scope);
        Add(fields, "at", session.AuthenticatedAt is { } authenticated ? Time(authenticated) : null);
        Add(fields, "am", session.AuthenticationMethods);
        Add(fields, "jk", session.KeyThumbprint);
        return fields;
    }

    /// <summary>Reads the flat name/value array HGETALL answers.</summary>
    public static SessionRecord Read(string handle, RedisResult[] flat)
    {
        var fields = new Dictionary<string, string>(flat.Length / 2, StringComparer.Ordinal);
        for (int i = 0; i + 1 < flat.Length; i += 2)
        {
            fields[(string)flat[i]!] = (string)flat[i + 1]!;
        }

        return Read(handle, fields);
    }

    public static SessionRecord Read(string handle, HashEntry[] entries)
    {
        var fields = new Dictionary<string, string>(entries.Length, StringComparer.Ordinal);
        foreach (HashEntry entry in entries)
        {
            fields[entry.Name!] = entry.Value!;
        }

        return Read(handle, fields);
    }

    private static SessionRecord Read(string handle, Dictionary<string, string> fields)
    {
        int format = fields.TryGetValue("v", out string? v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : 0;
        if (format != SessionRecord.CurrentFormatVersion)
        {
            throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture, $"A session record in Redis has format {format}, which this version cannot read."));
        }

        return new SessionRecord
        {
            Handle = handle,
            UserId = fields["u"],
            SecretHash = Base64Url.DecodeFromChars(fields["h"]),
            Kind = fields["k"],
            CreatedAt = TimeOf(fields["c"]),
            LastSeenAt = TimeOf(fields["ls"]),
            IdleExpiresAt = TimeOf(fields["ie"]),
            AbsoluteExpiresAt = TimeOf(fields["ae"]),
            ClientIp = fields.GetValueOrDefault("ip"),
            UserAgent = JoinPieces(fields, UserAgentField),
            RevokedAt = TimeOrNull(fields.GetValueOrDefault("ra")),
            RevocationReason = fields.GetValueOrDefault("rr"),
            FlaggedAt = TimeOrNull(fields.GetValueOrDefault("fa")),
            FlagReason = fields.GetValueOrDefault("fr"),
            PreviousSecretHash = fields.TryGetValue("ph", out string? previous) ? Base64Url.DecodeFromChars(previous) : (ReadOnlyMemory<byte>?)null,
            SecretRotatedAt = TimeOrNull(fields.GetValueOrDefault("rt")),
            Generation = fields.TryGetValue("g", out string? generation) ? long.Parse(generation, NumberStyles.None, CultureInfo.InvariantCulture) : 0,
            RotatedBy = fields.TryGetValue("rb", out string? rotatedBy) ? Base64Url.DecodeFromChars(rotatedBy) : (ReadOnlyMemory<byte>?)null,
            ClientId = fields.GetValueOrDefault("ci"),
            Scope = fields.GetValueOrDefault("sc"),
            AuthenticatedAt = TimeOrNull(fields.GetValueOrDefault("at")),
            AuthenticationMethods = fields.GetValueOrDefault("am"),
            KeyThumbprint = fields.GetValueOrDefault("jk"),
            FormatVersion = format,
        };
    }

    private static void Add(List<RedisValue> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields.Add(name);
            fields.Add(value);
        }
    }

    // name = the first piece, name1, name2, … the following ones; each at most PieceBytes of UTF-8,
    // never cutting a character (nor a surrogate pair) in two.
    private static void AddInPieces(List<RedisValue> fields, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        int piece = 0;
        int start = 0;
        while (start < value.Length || piece == 0)
        {
            int end = start;
            int bytes = 0;
            while (end < value.Length)
            {
                int length = char.IsHighSurrogate(value[end]) && end + 1 < value.Length && char.IsLowSurrogate(value[end + 1]) ? 2 : 1;
                int size = Encoding.UTF8.GetByteCount(value.AsSpan(end, length));
                if (bytes + size > PieceBytes)
                {
                    break;
                }

                bytes += size;
                end += length;
            }

            fields.Add(piece == 0 ? name : name + piece.ToString(CultureInfo.InvariantCulture));
            fields.Add(value[start..end]);
            piece++;
            start = end;
        }
    }

    private static string? JoinPieces(Dictionary<string, string> fields, string name)
    {
        if (!fields.TryGetValue(name, out string? first))
        {
            return null;
        }

        if (!fields.ContainsKey(name + "1"))
        {
            return first;
        }

        var joined = new StringBuilder(first);
        for (int piece = 1; fields.TryGetValue(name + piece.ToString(CultureInfo.InvariantCulture), out string? next); piece++)
        {
            joined.Append(next);
        }

        return joined.ToString();
    }

    private static DateTimeOffset TimeOf(string value) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));

    private static DateTimeOffset? TimeOrNull(string? value) => value is null ? null : TimeOf(value);
}
