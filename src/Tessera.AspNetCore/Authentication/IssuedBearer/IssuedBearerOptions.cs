using Microsoft.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>Options of the server's own bearer scheme (the access tokens this server issued).</summary>
public sealed class IssuedBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Options with do-nothing events.</summary>
    public IssuedBearerOptions() => Events = new IssuedBearerEvents();

    /// <summary>Also read the access token from this cookie (token delivery in cookies); null: only the Authorization header.</summary>
    public string? AccessTokenCookieName { get; set; } = IssuedBearerDefaults.AccessTokenCookieName;

    /// <summary>
    /// Accept DPoP-bound access tokens under <c>Authorization: DPoP</c> with a proof (RFC 9449 §7.1),
    /// checked by the server's proof validator (<c>Tessera:Dpop</c>: algorithms, age, nonces). Default: on.
    /// A DPoP-bound token is never accepted as a bearer token or cookie, whatever this says (§7.2).
    /// </summary>
    public bool AcceptDpop { get; set; } = true;

    /// <summary>Refuse access tokens that are not DPoP-bound: every API call must carry a bound token and its proof. Default: off.</summary>
    public bool RequireDpop { get; set; }

    /// <summary>The scheme's events (the base class's, typed).</summary>
    public new IssuedBearerEvents Events
    {
        get => (IssuedBearerEvents)base.Events!;
        set => base.Events = value;
    }
}
