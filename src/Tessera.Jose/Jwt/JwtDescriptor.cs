using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Jose.Jwt;

/// <summary>The claims of a JWT to be signed. Registered claims are typed; anything else goes in <see cref="AdditionalClaims"/>.</summary>
public sealed class JwtDescriptor
{
    public string? Issuer { get; set; }

    public string? Subject { get; set; }

    /// <summary><c>aud</c>: written as a string when there is one, as an array when there are several.</summary>
    public IReadOnlyList<string>? Audiences { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset? IssuedAt { get; set; }

    public string? JwtId { get; set; }

    /// <summary>Other claims. A registered name here is refused, so the typed value cannot be contradicted.</summary>
    public JsonObject? AdditionalClaims { get; set; }

    /// <summary>The <c>typ</c> header: <c>JWT</c> by default; <c>at+jwt</c> for access tokens (RFC 9068).</summary>
    public string Type { get; set; } = "JWT";

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteIfSet(writer, "iss", Issuer);
        WriteIfSet(writer, "sub", Subject);
        if (Audiences is { Count: 1 })
        {
            writer.WriteString("aud", Audiences[0]);
        }
        else if (Audiences is { Count: > 1 })
        {
            writer.WriteStartArray("aud");
            foreach (string audience in Audiences)
            {
                writer.WriteStringValue(audience);
            }

            writer.WriteEndArray();
        }

        WriteIfSet(writer, "exp", ExpiresAt);
        WriteIfSet(writer, "nbf", NotBefore);
        WriteIfSet(writer, "iat", IssuedAt);
        WriteIfSet(writer, "jti", JwtId);
        if (AdditionalClaims is not null)
        {
            foreach (KeyValuePair<string, JsonNode?> claim in AdditionalClaims)
            {
                if (claim.Key is "iss" or "sub" or "aud" or "exp" or "nbf" or "iat" or "jti")
                {
                    throw new InvalidOperationException($"'{claim.Key}' is a registered claim: set it through its property, not AdditionalClaims.");
                }

                writer.WritePropertyName(claim.Key);
                if (claim.Value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    claim.Value.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is DateTimeOffset time)
        {
            writer.WriteNumber(name, time.ToUnixTimeSeconds());
        }
    }
}
