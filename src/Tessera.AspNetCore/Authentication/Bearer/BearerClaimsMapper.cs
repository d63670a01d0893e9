using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Tessera.AspNetCore.Authentication;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// Turns a validated token's claims into the claims of an identity that <c>[Authorize]</c>,
/// <c>IsInRole</c> and scope policies understand: each <c>roles</c> entry → a role claim,
/// <c>scope</c> split on spaces → one <c>scope</c> claim each, everything else (<c>sub</c>,
/// <c>sid</c>, <c>jti</c>, <c>iss</c>, <c>aud</c>, custom claims) under its own JWT name, as
/// Tessera's session-cookie handler names them too (one claim type for the user id whatever the
/// mode); arrays become one claim per element, objects one claim holding their JSON.
/// </summary>
/// <remarks>
/// It yields immutable <see cref="BearerClaimSpec"/>s, not <see cref="Claim"/> objects: the
/// identity is made once, by <see cref="BearerPrincipalTemplate.CreateIdentity"/> (#13: a cache
/// miss built the claims three times — the mapper's list, the identity's clones of it, then the
/// template's own identity).
/// </remarks>
internal static class BearerClaimsMapper
{
    private const string JsonValueType = "JSON";

    /// <summary>The claims for <paramref name="claims"/>, leaving out any of type <paramref name="dropType"/> (a token's own claim of what only the handler may say).</summary>
    /// <remarks>
    /// Read straight from the payload bytes the signature covered (<see cref="JwtClaims.RawPayload"/>),
    /// in their order, not from <see cref="JwtClaims.Root"/> (#13: on a cache miss that parsed the
    /// payload into a document a second time, and the verified-token cache then kept the document
    /// with the entry). The validator already refused a payload that is not one JSON object with
    /// unique member names (RFC 7519 §7.2 step 9, RFC 8725 §3.2), so a member is read once, as the
    /// document would have shown it.
    /// </remarks>
    public static BearerClaimSpec[] Map(JwtClaims claims, TesseraBearerOptions options, string dropType)
    {
        string issuer = claims.Issuer ?? ClaimsIdentity.DefaultIssuer;
        ReadOnlySpan<byte> payload = claims.RawPayload.Span;
        var list = new List<BearerClaimSpec>(16);
        // The reader's default depth (64) is above what the validator lets through (16).
        var reader = new Utf8JsonReader(payload);
        reader.Read(); // {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "roles":
                    AddStrings(ref reader, list, options.RoleClaimType, splitOnSpaces: false, issuer, dropType);
                    break;
                case "scope":
                    AddStrings(ref reader, list, TesseraBearerDefaults.ScopeClaimType, splitOnSpaces: true, issuer, dropType);
                    break;
                default:
                    if (string.Equals(name, dropType, StringComparison.Ordinal))
                    {
                        reader.Skip();
                    }
                    else
                    {
                        AddAsIs(ref reader, payload, list, name, issuer, nested: false);
                    }

                    break;
            }
        }

        return [.. list];
    }

    /// <summary>
    /// A claim of strings (<c>roles</c>, <c>scope</c>): a string gives one claim (<c>scope</c> split
    /// on spaces, RFC 8693 §4.2), an array one claim per string in it; anything else gives none.
    /// Leaves the reader on the value's last token.
    /// </summary>
    private static void AddStrings(ref Utf8JsonReader reader, List<BearerClaimSpec> list, string type, bool splitOnSpaces, string issuer, string dropType)
    {
        bool dropped = string.Equals(type, dropType, StringComparison.Ordinal);
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!dropped)
            {
                string text = reader.GetString()!;
                foreach (string value in splitOnSpaces ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [text])
                {
                    list.Add(new BearerClaimSpec(type, value, ClaimValueTypes.String, issuer));
                }
            }

            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray || dropped)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                list.Add(new BearerClaimSpec(type, reader.GetString()!, ClaimValueTypes.String, issuer));
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Any other claim, by its JSON kind (see the class summary). Leaves the reader on the value's last token.</summary>
    private static void AddAsIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, List<BearerClaimSpec> list, string name, string issuer, bool nested)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                list.Add(new BearerClaimSpec(name, reader.GetString()!, ClaimValueTypes.String, issuer));
                break;
            case JsonTokenType.Number:
                // A number's text is ASCII and never escaped: its bytes are its raw text.
                list.Add(new BearerClaimSpec(name, Encoding.UTF8.GetString(reader.ValueSpan), reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer));
                break;
            case JsonTokenType.True or JsonTokenType.False:
                list.Add(new BearerClaimSpec(name, reader.GetBoolean() ? "true" : "false", ClaimValueTypes.Boolean, issuer));
                break;
            case JsonTokenType.StartArray when !nested:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    AddAsIs(ref reader, payload, list, name, issuer, nested: true);
                }

                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                // The value's own text, as JsonElement.GetRawText gives it.
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                list.Add(new BearerClaimSpec(name, Encoding.UTF8.GetString(payload[start..(int)reader.BytesConsumed]), JsonValueType, issuer));
                break;
            default:
                break; // null: no claim
        }
    }
}

/// <summary>One mapped claim: its type, value, value type and issuer (also its original issuer), all immutable strings.</summary>
internal readonly record struct BearerClaimSpec(string Type, string Value, string ValueType, string Issuer);
