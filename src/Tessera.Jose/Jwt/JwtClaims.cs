using System.Text.Json;
using Tessera.Jose.Json;

namespace Tessera.Jose.Jwt;

/// <summary>
/// The claims of a validated JWT (RFC 7519 §4). The registered claims are read while validating (the
/// strings of <c>sub</c> and <c>jti</c> are made on first read); everything else is read from the payload on first use.
/// Safe to share between threads: what is made on first use may be made twice by two threads at
/// once, equal either way, and one of them is kept.
/// </summary>
public sealed class JwtClaims
{
    // NumericDates as read (whole Unix seconds, range-checked by the reader), NoDate when absent:
    // 8 bytes each instead of 24 for a DateTimeOffset?, converted when asked for.
    private const long NoDate = long.MinValue;

    private static readonly JsonDocumentOptions ValidatedPayload = new() { MaxDepth = StrictJson.MaxDepth };

    private readonly byte[] _payload;
    private readonly object? _audience; // a string, or a string[] when the token carried an array
    private readonly long _expiresAt;
    private readonly long _notBefore;
    private readonly long _issuedAt;
    private readonly RawClaimString _subjectRaw;
    private readonly RawClaimString _jwtIdRaw;
    private readonly bool _noConfirmation;
    private ParsedRoot? _root;
    private JwtConfirmation? _confirmation;

    // sub and jti are made into strings on first read (JwtRegisteredClaims.SubjectRaw). Two
    // threads reading at once may each make one: equal strings, either kept, so no lock is needed.
    private string? _subject;
    private string? _jwtId;

    // sid on first read: the string, or NoSessionId when the claim is absent or not a string. A
    // revocation check asks on every request for a cached token; reading it from Root each time
    // searched the payload and made a new string. Written whole (a reference), so no lock is needed.
    private static readonly object NoSessionId = new();
    private object? _sessionId;

    internal JwtClaims(byte[] payload, in JwtRegisteredClaims registered, string algorithm, string keyId, JsonElement? root)
    {
        _payload = payload;
        _audience = registered.Audience;
        _root = root is { } parsed ? new ParsedRoot(parsed) : null;
        _noConfirmation = registered.ReadFlat && !registered.HasConfirmation;
        Issuer = registered.Issuer;
        _subject = registered.Subject;
        _jwtId = registered.JwtId;
        _subjectRaw = registered.SubjectRaw;
        _jwtIdRaw = registered.JwtIdRaw;
        _expiresAt = registered.ExpiresAt ?? NoDate;
        _notBefore = registered.NotBefore ?? NoDate;
        _issuedAt = registered.IssuedAt ?? NoDate;
        Algorithm = algorithm;
        KeyId = keyId;
    }

    /// <summary><c>iss</c>.</summary>
    public string? Issuer { get; }

    /// <summary><c>sub</c>.</summary>
    public string? Subject => _subject ??= _subjectRaw.ToString(_payload);

    /// <summary><c>jti</c>.</summary>
    public string? JwtId => _jwtId ??= _jwtIdRaw.ToString(_payload);

    /// <summary><c>exp</c>.</summary>
    public DateTimeOffset? ExpiresAt => FromUnix(_expiresAt);

    /// <summary><c>nbf</c>.</summary>
    public DateTimeOffset? NotBefore => FromUnix(_notBefore);

    /// <summary><c>iat</c>.</summary>
    public DateTimeOffset? IssuedAt => FromUnix(_issuedAt);

    /// <summary><c>aud</c>, whether the token carried one string or an array.</summary>
    public IReadOnlyList<string> Audiences => _audience switch
    {
        string one => [one],
        string[] many => many,
        _ => [],
    };

    /// <summary>The algorithm the token was verified with.</summary>
    public string Algorithm { get; }

    /// <summary>The id of the key that verified it (its <c>kid</c>, else its thumbprint).</summary>
    public string KeyId { get; }

    /// <summary>The key that verified the signature (what <see cref="VerifiedTokenCache"/> checks is still trusted).</summary>
    internal Keys.Jwk? VerifiedBy { get; init; }

    /// <summary>The payload exactly as signed (UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte> RawPayload => _payload;

    /// <summary>The payload as a JSON object, parsed on first use.</summary>
    public JsonElement Root
    {
        get
        {
            // A class holds the element: a reference is written whole, a JsonElement? is not (two
            // threads filling it at once could otherwise leave a torn value for a third to read).
            ParsedRoot? root = Volatile.Read(ref _root);
            if (root is null)
            {
                Interlocked.CompareExchange(ref _root, new ParsedRoot(ParseRoot()), null);
                root = Volatile.Read(ref _root)!;
            }

            return root.Value;
        }
    }

    /// <summary>
    /// The token's confirmation claim (<c>cnf</c>, RFC 7800 §3.1) as RFC 9449 §6.1 binds a token to
    /// a key, worked out on first use and remembered (a cached token answers it without reading anything).
    /// A payload the validator read in its simple flat shape is known to carry no <c>cnf</c> object
    /// without parsing it.
    /// </summary>
    public JwtConfirmation Confirmation
    {
        get
        {
            JwtConfirmation? known = Volatile.Read(ref _confirmation);
            if (known is null)
            {
                known = _noConfirmation ? JwtConfirmation.None : JwtConfirmation.From(this);
                Volatile.Write(ref _confirmation, known);
            }

            return known;
        }
    }

    /// <summary>
    /// The <c>sid</c> claim (the session the token belongs to, as the issuer names it; OpenID Connect
    /// Front-Channel Logout 1.0 §3) when it is a string, else null: the same answer as
    /// <c>TryGetString("sid", …)</c>, read once per instance.
    /// </summary>
    public string? SessionId
    {
        get
        {
            object? known = Volatile.Read(ref _sessionId);
            if (known is null)
            {
                known = ReadSessionId() ?? NoSessionId;
                Volatile.Write(ref _sessionId, known);
            }

            return known as string;
        }
    }

    /// <summary>Any claim, by name.</summary>
    public bool TryGetClaim(string name, out JsonElement value) => Root.TryGetProperty(name, out value);

    /// <summary>A string claim; false when absent or not a string.</summary>
    public bool TryGetString(string name, out string? value)
    {
        value = TryGetClaim(name, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }

    /// <summary>
    /// The strings of a claim that may be a string or an array of strings (such as <c>roles</c>);
    /// a space-separated claim such as <c>scope</c> (RFC 8693 §4.2) is split when <paramref name="splitOnSpaces"/>.
    /// </summary>
    public IReadOnlyList<string> GetStrings(string name, bool splitOnSpaces = false)
    {
        if (!TryGetClaim(name, out JsonElement element))
        {
            return [];
        }

        var values = new List<string>();
        if (element.ValueKind == JsonValueKind.String)
        {
            string text = element.GetString()!;
            values.AddRange(splitOnSpaces ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [text]);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    values.Add(item.GetString()!);
                }
            }
        }

        return values;
    }

    // The top-level sid, from the parsed document when there is one, else by one pass of a reader over
    // the payload (validated, its names unique: see ParseRoot), so asking for it does not parse and keep
    // the whole document for the cache entry's life.
    private string? ReadSessionId()
    {
        if (Volatile.Read(ref _root) is { } parsed)
        {
            return parsed.Value.TryGetProperty("sid", out JsonElement sid) && sid.ValueKind == JsonValueKind.String ? sid.GetString() : null;
        }

        var reader = new Utf8JsonReader(_payload, new JsonReaderOptions { MaxDepth = StrictJson.MaxDepth });
        reader.Read(); // the payload's object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isSid = reader.ValueTextEquals("sid"u8);
            reader.Read();
            if (isSid)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>The payload's length in bytes (decoded JSON), for the cache's memory estimate.</summary>
    internal int PayloadLength => _payload.Length;

    private JsonElement ParseRoot()
    {
        // Already validated while reading: this cannot fail on a token that got this far. Nor can it
        // meet a repeated name: a payload with an object anywhere in it (only objects have names),
        // escaped names or many names was parsed under StrictJson's rules while validating, and every
        // other one (flat, or with arrays of scalars) had its top-level names checked by the claims reader. So the document's own duplicate check (#13: over a third of this
        // parse, on every cache miss that maps claims) is not paid twice.
        using JsonDocument document = JsonDocument.Parse(_payload, ValidatedPayload);
        return document.RootElement.Clone();
    }

    /// <summary>Whether a member is present, without parsing the payload when it has not been parsed.</summary>
    internal bool TryGetClaimIfParsed(string name, out JsonElement value, out bool parsed)
    {
        value = default;
        ParsedRoot? root = Volatile.Read(ref _root);
        parsed = root is not null;
        return parsed && root!.Value.TryGetProperty(name, out value);
    }

    private static DateTimeOffset? FromUnix(long seconds) => seconds == NoDate ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);

    private sealed class ParsedRoot(JsonElement value)
    {
        public JsonElement Value { get; } = value;
    }
}
