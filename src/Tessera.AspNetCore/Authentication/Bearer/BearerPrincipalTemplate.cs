using System.Runtime.CompilerServices;
using System.Security.Claims;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// What a validated token's claims map to (<see cref="BearerClaimsMapper"/>), worked out once per
/// cached token and kept as immutable strings; every request gets a principal of its own, built
/// from them without reading the token's JSON again.
/// </summary>
/// <remarks>
/// <para>Why this is safe although a <see cref="ClaimsPrincipal"/> is mutable (an
/// <c>IClaimsTransformation</c> or the <c>TokenValidated</c> event may add or remove claims, and
/// <see cref="Claim.Properties"/> is a mutable dictionary): no mutable object is shared. What is kept
/// is each claim's type, value, value type and issuer — strings, which cannot change — in a private
/// array that is never handed out. Each request gets a new <see cref="ClaimsIdentity"/> holding new
/// <see cref="Claim"/> objects (created with that identity as their subject, so the identity does not
/// clone them again), so whatever one request does to its principal exists only in that principal.
/// Handing out one shared principal, or a shallow copy of its claim list, would let one request's
/// additions reach the next request for the same token: that is what this avoids.</para>
/// <para>The template belongs to the very <see cref="JwtClaims"/> instance the
/// <see cref="VerifiedTokenCache"/> returns for the exact token (held by reference in a
/// <see cref="ConditionalWeakTable{TKey, TValue}"/>, so it goes when the cache drops the entry), and
/// records the mapping's inputs (scheme, name and role claim types), so another scheme or changed
/// options map again. It is made only from claims that passed validation, and it is used only
/// after this request's own checks (time, key, DPoP proof, revocation, introspection) passed: it
/// saves the mapping, never a check.</para>
/// </remarks>
internal sealed class BearerPrincipalTemplate
{
    private static readonly ConditionalWeakTable<JwtClaims, BearerPrincipalTemplate> Remembered = new();

    private readonly BearerClaimSpec[] _claims;
    private readonly string _authenticationType;
    private readonly string _nameType;
    private readonly string _roleType;

    private BearerPrincipalTemplate(BearerClaimSpec[] claims, string authenticationType, string nameType, string roleType)
    {
        _claims = claims;
        _authenticationType = authenticationType;
        _nameType = nameType;
        _roleType = roleType;
    }

    /// <summary>How many claims each identity gets (for tests).</summary>
    internal int Count => _claims.Length;

    /// <summary>
    /// The template for <paramref name="claims"/>: the one made before for this instance with the
    /// same mapping inputs, else a new one, remembered when <paramref name="remember"/> (the claims
    /// came from the token cache, so the same instance will be seen again).
    /// </summary>
    public static BearerPrincipalTemplate For(JwtClaims claims, string authenticationType, TesseraBearerOptions options, bool remember)
    {
        string nameType = options.NameClaimType ?? TesseraClaimTypes.Subject;
        string roleType = options.RoleClaimType;
        if (Remembered.TryGetValue(claims, out BearerPrincipalTemplate? known) && known.Maps(authenticationType, nameType, roleType))
        {
            return known;
        }

        // Only the handler says a proof was checked: a token's own claim of that name is dropped.
        BearerClaimSpec[] specs = BearerClaimsMapper.Map(claims, options, TesseraBearerDefaults.DpopKeyThumbprintClaimType);
        var template = new BearerPrincipalTemplate(specs, authenticationType, nameType, roleType);
        if (remember)
        {
            Remembered.AddOrUpdate(claims, template);
        }

        return template;
    }

    /// <summary>A new identity with new claims, owned by the request that asked (see the remarks).</summary>
    public ClaimsIdentity CreateIdentity()
    {
        var identity = new ClaimsIdentity(_authenticationType, _nameType, _roleType);
        foreach (BearerClaimSpec spec in _claims)
        {
            identity.AddClaim(new Claim(spec.Type, spec.Value, spec.ValueType, spec.Issuer, spec.Issuer, identity));
        }

        return identity;
    }

    private bool Maps(string authenticationType, string nameType, string roleType) =>
        string.Equals(_authenticationType, authenticationType, StringComparison.Ordinal)
        && string.Equals(_nameType, nameType, StringComparison.Ordinal)
        && string.Equals(_roleType, roleType, StringComparison.Ordinal);
}
