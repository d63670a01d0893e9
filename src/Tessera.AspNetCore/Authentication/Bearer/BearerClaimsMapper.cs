using System.Security.Claims;
using System.Text.Json;
using Tessera.AspNetCore.Authentication;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// Turns a validated token's claims into an identity that <c>[Authorize]</c>, <c>IsInRole</c> and
/// scope policies understand: each <c>roles</c> entry → a role claim, <c>scope</c> split on spaces →
/// one <c>scope</c> claim each, everything else (<c>sub</c>, <c>sid</c>, <c>jti</c>, <c>iss</c>,
/// <c>aud</c>, custom claims) under its own JWT name, as Tessera's session-cookie handler names them
/// too (one claim type for the user id whatever the mode); arrays become one claim per element,
/// objects one claim holding their JSON.
/// </summary>
internal static class BearerClaimsMapper
{
    private const string JsonValueType = "JSON";

    public static ClaimsIdentity ToIdentity(JwtClaims claims, string authenticationType, TesseraBearerOptions options)
    {
        string issuer = claims.Issuer ?? ClaimsIdentity.DefaultIssuer;
        var list = new List<Claim>();
        foreach (JsonProperty member in claims.Root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "roles":
                    list.AddRange(claims.GetStrings("roles").Select(role => new Claim(options.RoleClaimType, role, ClaimValueTypes.String, issuer)));
                    break;
                case "scope":
                    list.AddRange(claims.GetStrings("scope", splitOnSpaces: true).Select(scope => new Claim(TesseraBearerDefaults.ScopeClaimType, scope, ClaimValueTypes.String, issuer)));
                    break;
                default:
                    AddAsIs(list, member.Name, member.Value, issuer, nested: false);
                    break;
            }
        }

        return new ClaimsIdentity(list, authenticationType, options.NameClaimType ?? TesseraClaimTypes.Subject, options.RoleClaimType);
    }

    private static void AddAsIs(List<Claim> list, string name, JsonElement value, string issuer, bool nested)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                list.Add(new Claim(name, value.GetString()!, ClaimValueTypes.String, issuer));
                break;
            case JsonValueKind.Number:
                list.Add(new Claim(name, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                list.Add(new Claim(name, value.GetBoolean() ? "true" : "false", ClaimValueTypes.Boolean, issuer));
                break;
            case JsonValueKind.Array when !nested:
                foreach (JsonElement item in value.EnumerateArray())
                {
                    AddAsIs(list, name, item, issuer, nested: true);
                }

                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                list.Add(new Claim(name, value.GetRawText(), JsonValueType, issuer));
                break;
            default:
                break; // null: no claim
        }
    }
}
