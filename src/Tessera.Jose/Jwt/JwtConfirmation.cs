using System.Text.Json;
using Tessera.Jose.Json;

namespace Tessera.Jose.Jwt;

/// <summary>How a token's <c>cnf</c> claim (RFC 7800 §3.1) binds it.</summary>
public enum JwtConfirmationKind
{
    /// <summary>No <c>cnf</c>, or <c>cnf</c> is <c>null</c>: a plain bearer token.</summary>
    None,

    /// <summary>Bound to a DPoP key by <c>cnf.jkt</c>, its JWK SHA-256 thumbprint (RFC 9449 §6.1).</summary>
    KeyThumbprint,

    /// <summary>A <c>cnf</c> that is not an object with a non-empty <c>jkt</c> string (another method, such as RFC 8705's <c>x5t#S256</c>).</summary>
    Unsupported,
}

/// <summary>A token's confirmation claim as read once (<see cref="JwtClaims.Confirmation"/>). Immutable.</summary>
public sealed class JwtConfirmation
{
    private JwtConfirmation(JwtConfirmationKind kind, string? keyThumbprint)
    {
        Kind = kind;
        KeyThumbprint = keyThumbprint;
    }

    /// <summary>Unbound.</summary>
    public static JwtConfirmation None { get; } = new(JwtConfirmationKind.None, null);

    /// <summary>Bound by a method other than <c>jkt</c>.</summary>
    public static JwtConfirmation Unsupported { get; } = new(JwtConfirmationKind.Unsupported, null);

    /// <summary>What binds the token.</summary>
    public JwtConfirmationKind Kind { get; }

    /// <summary><c>cnf.jkt</c> when <see cref="Kind"/> is <see cref="JwtConfirmationKind.KeyThumbprint"/>, else null.</summary>
    public string? KeyThumbprint { get; }

    internal static JwtConfirmation From(JwtClaims claims)
    {
        if (claims.TryGetClaimIfParsed("cnf", out JsonElement parsed, out bool isParsed))
        {
            return Of(parsed);
        }

        if (isParsed)
        {
            return None;
        }

        // Not parsed yet: find the top-level member with the reader (nothing allocated), and
        // parse the payload only when cnf is an object (then its members matter).
        var reader = new Utf8JsonReader(claims.RawPayload.Span, StrictJson.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return None;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isCnf = reader.ValueTextEquals("cnf"u8);
            if (!reader.Read())
            {
                break;
            }

            if (isCnf)
            {
                return reader.TokenType switch
                {
                    JsonTokenType.Null => None,
                    JsonTokenType.StartObject => claims.TryGetClaim("cnf", out JsonElement cnf) ? Of(cnf) : None,
                    _ => Unsupported,
                };
            }

            reader.Skip();
        }

        return None;
    }

    private static JwtConfirmation Of(JsonElement cnf)
    {
        if (cnf.ValueKind == JsonValueKind.Null)
        {
            return None;
        }

        // RFC 7800 §3.1: cnf is an object of confirmation methods; jkt is RFC 9449 §6.1's.
        return cnf.ValueKind == JsonValueKind.Object && cnf.TryGetProperty("jkt", out JsonElement jkt)
            && jkt.ValueKind == JsonValueKind.String && jkt.GetString() is { Length: > 0 } thumbprint
            ? new JwtConfirmation(JwtConfirmationKind.KeyThumbprint, thumbprint)
            : Unsupported;
    }
}
