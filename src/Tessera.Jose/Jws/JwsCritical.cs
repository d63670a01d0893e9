using System.Collections.Frozen;
using System.Text.Json;

namespace Tessera.Jose.Jws;

/// <summary>
/// The <c>crit</c> header (RFC 7515 §4.1.11): a non-empty array of distinct extension names, each
/// present in the header, none of them a name the JWS/JWA specifications define, and every one
/// understood by the recipient — otherwise the JWS is invalid.
/// </summary>
internal static class JwsCritical
{
    private static readonly FrozenSet<string> Registered = new[]
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Checks <c>crit</c>; <paramref name="understood"/> null checks its form only (a signer defines its own extensions).</summary>
    public static JoseError? Validate(JsonElement header, FrozenSet<string>? understood)
    {
        if (!header.TryGetProperty("crit", out JsonElement crit))
        {
            return null;
        }

        if (crit.ValueKind != JsonValueKind.Array || crit.GetArrayLength() == 0)
        {
            return JoseError.CritInvalid;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement item in crit.EnumerateArray())
        {
            string? name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null || Registered.Contains(name) || !seen.Add(name) || !header.TryGetProperty(name, out _))
            {
                return JoseError.CritInvalid;
            }

            if (understood is not null && !understood.Contains(name))
            {
                return new JoseError(JoseErrorCodes.CritUnsupported, $"the critical extension '{name}' is not understood");
            }
        }

        return null;
    }
}
