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
/// instance, so it goes when the token cache drops the entry; and added only when the claims came
/// from the token cache (<see cref="Tessera.Tokens.ValidatedAccessToken.FromCache"/>): other claims
/// are new on every request (the cache is off, or stores the token only on its second validation),
/// an entry could never be read again, and adding one (a lock and a dependent handle each) would be
/// all cost.
/// </remarks>
internal static class IssuedTokenScopes
{
    private static readonly ConditionalWeakTable<JwtClaims, string[]> Split = new();

    /// <summary>
    /// The entries of <paramref name="claims"/>: the ones split before for this instance, else split
    /// now and kept only when <paramref name="remember"/> (the verified-token cache holds the instance,
    /// so later requests for the same token get it again).
    /// </summary>
    public static string[] Of(JwtClaims claims, bool remember)
    {
        if (Split.TryGetValue(claims, out string[]? known))
        {
            return known;
        }

        string[] scopes = [.. claims.GetStrings(TesseraBearerDefaults.ScopeClaimType, splitOnSpaces: true)];
        return remember ? Split.GetValue(claims, _ => scopes) : scopes;
    }
}
