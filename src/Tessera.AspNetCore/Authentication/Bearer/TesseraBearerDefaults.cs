using System.ComponentModel;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// Names and defaults of the resource-server bearer (<c>AddTesseraBearer</c>): an API elsewhere
/// validates Tessera's tokens with the issuer's JWKS. Not the server's own bearer
/// (<see cref="IssuedBearer.IssuedBearerDefaults"/>), which checks the tokens it issued against its own stores.
/// </summary>
public static class TesseraBearerDefaults
{
    /// <summary>The scheme name <c>AddTesseraBearer</c> registers unless given another.</summary>
    public const string AuthenticationScheme = "TesseraBearer";

    /// <summary>RFC 9068 §2.1: the <c>typ</c> of a JWT access token.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>OpenID Connect Discovery 1.0 §4 (and RFC 8414 §3): appended to the authority.</summary>
    public const string DiscoveryPath = ".well-known/openid-configuration";

    /// <summary>
    /// The asymmetric algorithms, ES256 (Tessera's default) first. Never an HS* algorithm: a
    /// resource server's keys are public, and an HMAC "secret" that everyone can read signs nothing.
    /// </summary>
    public static IReadOnlyList<string> AllowedAlgorithms { get; } =
        ["ES256", "ES384", "ES512", "EdDSA", "Ed25519", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    /// <summary>The claim type each <c>scope</c> entry becomes (RFC 8693 §4.2 names the claim).</summary>
    public const string ScopeClaimType = "scope";

    /// <summary>
    /// The claim both bearer handlers add when the request presented a DPoP-bound token with a valid
    /// proof (RFC 9449 §7.1): the RFC 7638 thumbprint of the proof's key, equal to the token's
    /// <c>cnf.jkt</c>. Only the handlers set it (a token claim of this name is dropped), so policies
    /// may rely on it; <c>RequireDpop()</c> does.
    /// </summary>
    public const string DpopKeyThumbprintClaimType = "dpop_jkt";
}

/// <summary>
/// The <c>error</c> codes of the resource-server bearer that no other catalog defines; JOSE codes
/// (<see cref="Jose.JoseErrorCodes"/>) pass through as they are. Statuses and shapes are in
/// <see cref="Http.TesseraErrorCatalog"/>.
/// </summary>
public static class TesseraBearerErrorCodes
{
    /// <summary>RFC 6750 §3.1: the token is malformed, expired, revoked or otherwise unusable. Defined once, as <see cref="TesseraErrorCodes.InvalidToken"/>; kept here for existing callers.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public const string InvalidToken = TesseraErrorCodes.InvalidToken;

    /// <summary>RFC 6750 §3.1: the token is good but lacks the scope the resource needs (403).</summary>
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>The issuer's keys could not be fetched and none are cached (503).</summary>
    public const string JwksUnavailable = "jwks_unavailable";

    /// <summary>The token's session (<c>sid</c>) was revoked. Defined once, as <see cref="TesseraErrorCodes.SessionRevoked"/>; kept here for existing callers.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public const string SessionRevoked = TesseraErrorCodes.SessionRevoked;

    /// <summary>The revocation check was asked for but the introspection endpoint did not answer usefully (503).</summary>
    public const string IntrospectionUnavailable = "introspection_unavailable";

    /// <summary>The revocation list was asked for but could not be read (503).</summary>
    public const string RevocationListUnavailable = "revocation_list_unavailable";
}
