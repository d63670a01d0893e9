using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using Tessera.Jose.Json;

namespace Tessera.Jose.Keys;

/// <summary>
/// A JWK Set (RFC 7517 §5): the keys a verifier trusts, indexed by key id. Keys without a
/// <c>kid</c> are indexed by their RFC 7638 thumbprint. A set holds either secret (<c>oct</c>)
/// keys or public-key keys, never both: a secret next to public keys is a leak waiting to happen,
/// and a verifier that mixes them invites algorithm confusion.
/// </summary>
public sealed class JwkSet
{
    /// <summary>A key set larger than this is refused before parsing.</summary>
    public const int MaxJwkSetBytes = 1024 * 1024;

    private readonly FrozenDictionary<string, Jwk[]> _byKeyId;
    private readonly FrozenDictionary<string, Jwk[]>.AlternateLookup<ReadOnlySpan<char>> _byKeyIdChars;

    private readonly Jwk[] _keys;
    private readonly bool _matchAnyKeyId;

    /// <summary>A set of <paramref name="keys"/>, indexed by their effective key id for lookup by a token's <c>kid</c>.</summary>
    public JwkSet(IEnumerable<Jwk> keys)
        : this(keys, skippedKeys: 0)
    {
    }

    private JwkSet(IEnumerable<Jwk> keys, int skippedKeys, bool matchAnyKeyId = false)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys.ToArray();
        _matchAnyKeyId = matchAnyKeyId;
        Keys = _keys;
        SkippedKeys = skippedKeys;
        if (Keys.Any(k => k.KeyType == JwkKeyType.Octet) && Keys.Any(k => k.KeyType != JwkKeyType.Octet))
        {
            throw new ArgumentException("A key set must not mix secret (oct) keys with public-key keys.", nameof(keys));
        }

        _byKeyId = Keys.GroupBy(k => k.EffectiveKeyId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _byKeyIdChars = _byKeyId.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A set of one key.</summary>
    public static JwkSet Of(params Jwk[] keys) => new(keys);

    /// <summary>One key the caller chose explicitly: it is tried whatever <c>kid</c> the token names.</summary>
    internal static JwkSet ForSingleKey(Jwk key) => new([key], skippedKeys: 0, matchAnyKeyId: true);

    /// <summary>The usable keys.</summary>
    public IReadOnlyList<Jwk> Keys { get; }

    /// <summary>How many members of a parsed set were skipped: unknown key types or curves (RFC 7517 §5 says to ignore them) and keys that failed validation.</summary>
    public int SkippedKeys { get; }

    /// <summary>Parses <c>{"keys":[…]}</c>, skipping keys it cannot use. Never throws on bad input.</summary>
    public static bool TryParse(string json, out JwkSet? set, out JoseError? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        set = null;
        if (json.Length > MaxJwkSetBytes)
        {
            error = new JoseError(JoseErrorCodes.TooLarge, "the JWK set is larger than 1 MiB");
            return false;
        }

        using JsonDocument? document = StrictJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out error);
        if (document is null)
        {
            error = error == JoseError.MalformedPayload ? new JoseError(JoseErrorCodes.Malformed, "the JWK set is not valid JSON") : error;
            return false;
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out JsonElement keys) || keys.ValueKind != JsonValueKind.Array)
        {
            error = JoseError.KeyInvalid("a JWK set is an object with a 'keys' array");
            return false;
        }

        var usable = new List<Jwk>();
        int skipped = 0;
        foreach (JsonElement item in keys.EnumerateArray())
        {
            if (JwkReader.TryRead(item, out Jwk? key, out _, out _))
            {
                usable.Add(key!);
            }
            else
            {
                skipped++;
            }
        }

        if (usable.Any(k => k.KeyType == JwkKeyType.Octet) && usable.Any(k => k.KeyType != JwkKeyType.Octet))
        {
            error = JoseError.KeyInvalid("a JWK set must not mix secret (oct) keys with public-key keys");
            return false;
        }

        set = new JwkSet(usable, skipped);
        error = null;
        return true;
    }

    /// <summary>Parses a key set, throwing <see cref="JoseException"/> with the stable code on bad input.</summary>
    public static JwkSet Parse(string json) =>
        TryParse(json, out JwkSet? set, out JoseError? error) ? set! : throw new JoseException(error!);

    /// <summary>The keys whose <c>kid</c> (or, lacking one, thumbprint) is <paramref name="keyId"/>.</summary>
    public ReadOnlySpan<Jwk> FindByKeyId(ReadOnlySpan<char> keyId) =>
        _matchAnyKeyId ? _keys : _byKeyIdChars.TryGetValue(keyId, out Jwk[]? keys) ? keys : [];

    /// <summary>The public form of every key, as JSON (a set with secret keys throws).</summary>
    public string ToJson(bool includePrivate = false, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, indented ? StrictJson.IndentedWriterOptions : StrictJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (Jwk key in Keys)
            {
                key.WriteTo(writer, includePrivate);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
