using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Jose.Jwt;

/// <summary>The claims of a JWT to be signed. Registered claims are typed; anything else goes in <see cref="AdditionalClaims"/>.</summary>
public sealed class JwtDescriptor
{
    /// <c>iss</c>: who issued the token (RFC 7519 §4.1.1).
    public string? Issuer { get; set; }

    /// <c>sub</c>: whom the token is about, typically the user id (RFC 7519 §4.1.2).
    public string? Subject { get; set; }

    /// <summary><c>aud</c>: written as a string when there is one, as an array when there are several.</summary>
    public IReadOnlyList<string>? Audiences { get; set; }

    /// <c>exp</c>: the instant after which the token must be refused (RFC 7519 §4.1.4); written in whole seconds.
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <c>nbf</c>: the instant before which the token must be refused (RFC 7519 §4.1.5).
    public DateTimeOffset? NotBefore { get; set; }

    /// <c>iat</c>: when the token was issued (RFC 7519 §4.1.6).
    public DateTimeOffset? IssuedAt { get; set; }

    /// <c>jti</c>: a unique id for the token, for replay detection (RFC 7519 §4.1.7).
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
