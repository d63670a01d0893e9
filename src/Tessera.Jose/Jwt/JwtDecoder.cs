using System.Text.Json;
using Tessera.Jose.Encoding;
using Tessera.Jose.Json;

namespace Tessera.Jose.Jwt;

/// <summary>The header and payload of a token, read WITHOUT verifying anything.</summary>
public sealed record UnverifiedJwt(JsonElement Header, JsonElement Payload);

/// <summary>
/// Reads a compact JWS/JWT for display and debugging. Nothing here is verified: never base a
/// decision on what it returns.
/// </summary>
public static class JwtDecoder
{
    /// <summary>Splits and decodes <paramref name="token"/> without checking its signature or claims; false with <paramref name="error"/> when it is not a well-formed compact JWS or is longer than <paramref name="maxTokenLength"/>.</summary>
    public static bool TryDecodeUnverified(string token, out UnverifiedJwt? decoded, out JoseError? error, int maxTokenLength = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(token);
        decoded = null;
        if (token.Length > maxTokenLength)
        {
            error = JoseError.TooLarge;
            return false;
        }

        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = JoseError.Malformed;
            return false;
        }

        byte[]? header = StrictBase64Url.DecodeOrNull(parts[0]);
        byte[]? payload = StrictBase64Url.DecodeOrNull(parts[1]);
        if (header is null || payload is null || !StrictBase64Url.IsCanonical(parts[2]))
        {
            error = JoseError.MalformedBase64;
            return false;
        }

        using JsonDocument? headerDocument = StrictJson.TryParse(header, out error);
        if (headerDocument is null || headerDocument.RootElement.ValueKind != JsonValueKind.Object)
        {
            error = error == JoseError.MalformedPayload || error is null ? JoseError.MalformedHeader : error;
            return false;
        }

        using JsonDocument? payloadDocument = StrictJson.TryParse(payload, out error);
        if (payloadDocument is null || payloadDocument.RootElement.ValueKind != JsonValueKind.Object)
        {
            error ??= JoseError.MalformedPayload;
            return false;
        }

        decoded = new UnverifiedJwt(headerDocument.RootElement.Clone(), payloadDocument.RootElement.Clone());
        error = null;
        return true;
    }
}
