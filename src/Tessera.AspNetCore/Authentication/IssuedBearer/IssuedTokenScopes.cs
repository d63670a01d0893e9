using System.Runtime.CompilerServices;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// A validated token's own <c>scope</c> entries (RFC 9068 §2.2.3, RFC 8693 §4.2: space-separated),
/// split once per token: the server's access-token validator answers a token it has verified
/// before with the same <see cref="JwtClaims"/> instance (its <see cref="VerifiedTokenCache"/>),
/// so each later request reads the entries instead of the JSON.
/// </summary>
/// <remarks>
/// What is kept is an array of strings that is never handed out; the handler makes new
/// <see cref="System.Security.Claims.Claim"/> objects from it for each request's own principal, so
/// a claim one request adds (an <c>IClaimsTransformation</c>, the <c>TokenValidated</c> event) is
/// never seen by another. Held in a <see cref="ConditionalWeakTable{TKey, TValue}"/> by the claims
/// instance: it goes when the token cache drops the entry (or at once, when the cache is off and
/// every request's claims are new).
/// </remarks>
internal static class IssuedTokenScopes
{
    private static readonly ConditionalWeakTable<JwtClaims, string[]> Split = new();

    public static string[] Of(JwtClaims claims) =>
        Split.GetValue(claims, static c => [.. c.GetStrings(TesseraBearerDefaults.ScopeClaimType, splitOnSpaces: true)]);
}
