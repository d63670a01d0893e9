using System.Text.Json;

namespace Tessera.Jose.Json;

/// <summary>
/// JSON held to the rules of every JOSE document this library reads (one value, no comments or
/// trailing commas, no repeated member names at any depth, nesting at most 16, valid UTF-8 and no
/// lone surrogate escape), for code that reads a JOSE document's JSON itself: a DPoP proof's
/// header and claims (RFC 9449 §4.3), an ID token's claims.
/// </summary>
public static class JoseJson
{
    /// <summary>The document, or null with the rule it breaks in <paramref name="error"/>; every string in a returned document can be read.</summary>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8, out JoseError? error) => StrictJson.TryParse(utf8, out error);
}
