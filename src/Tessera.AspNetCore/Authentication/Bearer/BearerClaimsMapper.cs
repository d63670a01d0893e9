using System.Security.Claims;
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
    public static BearerClaimSpec[] Map(JwtClaims claims, TesseraBearerOptions options, string dropType)
    {
        string issuer = claims.Issuer ?? ClaimsIdentity.DefaultIssuer;
        var list = new List<BearerClaimSpec>(16);
        foreach (JsonProperty member in claims.Root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "roles":
                    AddStrings(list, options.RoleClaimType, claims.GetStrings("roles"), issuer, dropType);
                    break;
                case "scope":
                    AddStrings(list, TesseraBearerDefaults.ScopeClaimType, claims.GetStrings("scope", splitOnSpaces: true), issuer, dropType);
                    break;
                default:
                    if (!string.Equals(member.Name, dropType, StringComparison.Ordinal))
                    {
                        AddAsIs(list, member.Name, member.Value, issuer, nested: false);
                    }

                    break;
            }
        }

        return [.. list];
    }

    private static void AddStrings(List<BearerClaimSpec> list, string type, IReadOnlyList<string> values, string issuer, string dropType)
    {
        if (string.Equals(type, dropType, StringComparison.Ordinal))
        {
            return;
        }

        foreach (string value in values)
        {
            list.Add(new BearerClaimSpec(type, value, ClaimValueTypes.String, issuer));
        }
    }

    private static void AddAsIs(List<BearerClaimSpec> list, string name, JsonElement value, string issuer, bool nested)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                list.Add(new BearerClaimSpec(name, value.GetString()!, ClaimValueTypes.String, issuer));
                break;
            case JsonValueKind.Number:
                list.Add(new BearerClaimSpec(name, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                list.Add(new BearerClaimSpec(name, value.GetBoolean() ? "true" : "false", ClaimValueTypes.Boolean, issuer));
                break;
            case JsonValueKind.Array when !nested:
                foreach (JsonElement item in value.EnumerateArray())
                {
                    AddAsIs(list, name, item, issuer, nested: true);
                }

                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                list.Add(new BearerClaimSpec(name, value.GetRawText(), JsonValueType, issuer));
                break;
            default:
                break; // null: no claim
        }
    }
}

/// <summary>One mapped claim: its type, value, value type and issuer (also its original issuer), all immutable strings.</summary>
internal readonly record struct BearerClaimSpec(string Type, string Value, string ValueType, string Issuer);
