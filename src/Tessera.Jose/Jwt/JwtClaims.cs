using System.Text.Json;
using Tessera.Jose.Json;

namespace Tessera.Jose.Jwt;

/// <summary>
/// The claims of a validated JWT (RFC 7519 §4). The registered claims are read while validating (the
/// strings of <c>sub</c> and <c>jti</c> are made on first read); everything else is read from the payload on first use.
/// </summary>
public sealed class JwtClaims
{
    // NumericDates as read (whole Unix seconds, range-checked by the reader), NoDate when absent:
    // 8 bytes each instead of 24 for a DateTimeOffset?, converted when asked for.
    private const long NoDate = long.MinValue;

    private readonly byte[] _payload;
    private readonly object? _audience; // a string, or a string[] when the token carried an array
    private readonly long _expiresAt;
    private readonly long _notBefore;
    private readonly long _issuedAt;
    private readonly RawClaimString _subjectRaw;
    private readonly RawClaimString _jwtIdRaw;
    private JsonElement? _root;

    // sub and jti are made into strings on first read (JwtRegisteredClaims.SubjectRaw). Two
    // threads reading at once may each make one: equal strings, either kept, so no lock is needed.
    private string? _subject;
    private string? _jwtId;

    internal JwtClaims(byte[] payload, in JwtRegisteredClaims registered, string algorithm, string keyId, JsonElement? root)
    {
        _payload = payload;
        _audience = registered.Audience;
        _root = root;
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
    public JsonElement Root => _root ??= ParseRoot();

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

    private JsonElement ParseRoot()
    {
        // Already validated while reading: this cannot fail on a token that got this far.
        using JsonDocument document = JsonDocument.Parse(_payload, StrictJson.DocumentOptions);
        return document.RootElement.Clone();
    }

    private static DateTimeOffset? FromUnix(long seconds) => seconds == NoDate ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
}
