using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>Options of the bearer-token scheme (<see cref="TesseraBearerExtensions.AddTesseraBearer(AuthenticationBuilder, Action{TesseraBearerOptions}?)"/>).</summary>
public sealed class TesseraBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Options with do-nothing events; set at least the authority (or keys) and an audience.</summary>
    public TesseraBearerOptions() => Events = new TesseraBearerEvents();

    /// <summary>
    /// The token issuer's base address, e.g. <c>https://auth.example</c>. Its discovery document
    /// (<c>{Authority}/.well-known/openid-configuration</c>) names the JWKS; its <c>issuer</c> must be
    /// this same address (a trailing slash aside). Not needed when <see cref="Keys"/> is set.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The audience this API answers to (the token's <c>aud</c> must contain it, or one of <see cref="Audiences"/>).</summary>
    public string? Audience { get; set; }

    /// <summary>More accepted audiences, in addition to <see cref="Audience"/>.</summary>
    public ICollection<string> Audiences { get; } = new List<string>();

    /// <summary>The accepted <c>iss</c>. Default: the <c>issuer</c> of the discovery document, else <see cref="Authority"/> with static keys.</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>
    /// With fixed <see cref="Keys"/> and neither <see cref="ValidIssuer"/> nor <see cref="Authority"/>,
    /// the host refuses to start unless this is true: then <c>iss</c> is not checked, and any token
    /// the keys verify is accepted whoever issued it. RFC 8725 §3.8: validate the issuer; opt out
    /// only when the keys belong to one issuer alone.
    /// </summary>
    public bool AllowAnyIssuer { get; set; }

    /// <summary>Accepted <c>alg</c> values. Default: <see cref="TesseraBearerDefaults.AllowedAlgorithms"/> (every asymmetric one, no HS*).</summary>
    public ICollection<string> AllowedAlgorithms { get; } = new List<string>(TesseraBearerDefaults.AllowedAlgorithms);

    /// <summary>The <c>typ</c> header required (RFC 9068 §2.1); null: not checked.</summary>
    public string? RequiredType { get; set; } = TesseraBearerDefaults.AccessTokenType;

    /// <summary>Tolerance for clock differences on <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Fixed verification keys. When set, no discovery happens and nothing is fetched.</summary>
    public JwkSet? Keys { get; set; }

    /// <summary>The HTTP client for discovery, JWKS and introspection. Default: one made from <see cref="BackchannelHttpHandler"/>.</summary>
    public HttpClient? Backchannel { get; set; }

    /// <summary>The handler of the default <see cref="Backchannel"/> (tests point it at an in-memory server).</summary>
    public HttpMessageHandler? BackchannelHttpHandler { get; set; }

    /// <summary>How long one fetch (discovery and JWKS together, or one introspection call) may take before it is abandoned.</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuse plain-http authority, <c>jwks_uri</c> and introspection addresses. Turn off only for development and tests.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>How long fetched keys are used before they are fetched again.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The least time between two fetches: bounds refetches caused by unknown <c>kid</c>s and retries after failures.</summary>
    public TimeSpan RefreshCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest discovery, JWKS or introspection response read, in bytes.</summary>
    public int MaxResponseBytes { get; set; } = 256 * 1024;

    /// <summary>The claim type <c>User.Identity.Name</c> reads. Default: <c>sub</c> (the JWT name, as every Tessera handler names the user id).</summary>
    public string? NameClaimType { get; set; }

    /// <summary>The claim type each <c>roles</c> entry becomes, and that <c>IsInRole</c> and role policies read.</summary>
    public string RoleClaimType { get; set; } = ClaimTypes.Role;

    /// <summary>
    /// The issuer's RFC 7662 introspection endpoint. When set, every token's session is checked
    /// there (the answer cached per <c>sid</c> for <see cref="IntrospectionCacheDuration"/>), so a
    /// revoked session is refused before its access token expires. Off by default.
    /// </summary>
    public string? IntrospectionEndpoint { get; set; }

    /// <summary>This resource server's client id at the introspection endpoint (HTTP Basic, RFC 6749 §2.3.1).</summary>
    public string? IntrospectionClientId { get; set; }

    /// <summary>This resource server's client secret at the introspection endpoint.</summary>
    public string? IntrospectionClientSecret { get; set; }

    /// <summary>How long an introspection answer is reused for the same session.</summary>
    public TimeSpan IntrospectionCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A revocation list shared with the issuer (e.g. <c>Tessera.Redis.RedisSessionRevocationList</c>
    /// on the issuer's Redis). When set, every token must carry a <c>sid</c>, and a token whose
    /// session is on the list is refused (401 <c>session_revoked</c>) without calling the issuer;
    /// a list that cannot be read answers 503 <c>revocation_list_unavailable</c> (fail closed).
    /// Each request asks the list (no cache), so a revocation counts at once. Off by default.
    /// </summary>
    public ISessionRevocationList? RevocationList { get; set; }

    /// <summary>
    /// Tokens whose signature and claims were already verified, so a client sending the same token
    /// again costs a look-up instead of a signature verification. Keyed on the exact token text and
    /// stored on the token's second valid request (tokens sent once never take a place, see
    /// <see cref="VerifiedTokenCache.CacheOnFirstValidation"/>); an entry ends at the token's
    /// <c>exp</c> or when the key that verified it leaves the JWKS (see
    /// <see cref="VerifiedTokenCache"/> for the security argument, RFC 8725). The revocation
    /// list and introspection still run on every request. Default: one per scheme,
    /// <see cref="VerifiedTokenCache.DefaultMaxEntries"/> tokens and
    /// <see cref="VerifiedTokenCache.DefaultMaxBytes"/> bytes; set another to change the bounds,
    /// null to verify every request.
    /// </summary>
    public VerifiedTokenCache? TokenCache { get; set; } = new();

    /// <summary>
    /// DPoP-bound tokens (RFC 9449): accepted under the <c>DPoP</c> scheme with a proof by default,
    /// never as bearer tokens; see <see cref="TesseraBearerDpopOptions"/> to require DPoP, restrict
    /// proof algorithms or their age, or require server nonces.
    /// </summary>
    public TesseraBearerDpopOptions Dpop { get; } = new();

    /// <summary>An optional <c>realm</c> attribute for the <c>WWW-Authenticate</c> challenge (RFC 6750 §3).</summary>
    public string? Realm { get; set; }

    /// <summary>The scheme's events (the base class's, typed): hooks to read the token elsewhere, inspect or refuse it, or write the challenge.</summary>
    public new TesseraBearerEvents Events
    {
        get => (TesseraBearerEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>The key source built by <see cref="PostConfigureTesseraBearerOptions"/>.</summary>
    internal BearerKeySource? KeySource { get; set; }

    /// <summary>The session check built by <see cref="PostConfigureTesseraBearerOptions"/>, when asked for.</summary>
    internal SessionIntrospector? Introspector { get; set; }

    /// <summary>The revocation-list check built by <see cref="PostConfigureTesseraBearerOptions"/>, when a list is set.</summary>
    internal RevocationListCheck? RevocationCheck { get; set; }

    /// <summary>Checks the options when the scheme is first used; throws <see cref="InvalidOperationException"/> naming the setting that is missing or wrong.</summary>
    public override void Validate()
    {
        base.Validate();
        if (Keys is null && string.IsNullOrWhiteSpace(Authority))
        {
            throw new InvalidOperationException("TesseraBearer needs an Authority (whose discovery document names the keys) or fixed Keys.");
        }

        if (Keys is null && !IsAllowedAddress(Authority!, RequireHttps))
        {
            throw new InvalidOperationException("TesseraBearer Authority must be an absolute https address (set RequireHttps = false only for development).");
        }

        if (Keys is not null && string.IsNullOrWhiteSpace(ValidIssuer) && string.IsNullOrWhiteSpace(Authority) && !AllowAnyIssuer)
        {
            throw new InvalidOperationException("TesseraBearer with fixed Keys needs a ValidIssuer (or an Authority): without one, iss is not checked (RFC 8725 section 3.8). "
                + "Set AllowAnyIssuer = true only if these keys sign for one issuer alone.");
        }

        if (Keys is not null && Keys.Keys.Any(k => k.KeyType == JwkKeyType.Octet) && AllowedAlgorithms.Any(a => !a.StartsWith("HS", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("TesseraBearer: secret (oct) Keys need an allow-list of HS* algorithms only.");
        }

        if (string.IsNullOrWhiteSpace(Audience) && Audiences.Count == 0)
        {
            throw new InvalidOperationException("TesseraBearer needs an Audience: a token meant for another API must not be accepted here.");
        }

        if (AllowedAlgorithms.Count == 0)
        {
            throw new InvalidOperationException("TesseraBearer AllowedAlgorithms must not be empty.");
        }

        if (ClockSkew < TimeSpan.Zero || BackchannelTimeout <= TimeSpan.Zero || KeyCacheDuration <= TimeSpan.Zero
            || RefreshCooldown < TimeSpan.Zero || IntrospectionCacheDuration < TimeSpan.Zero || MaxResponseBytes < 1024)
        {
            throw new InvalidOperationException("TesseraBearer durations must be positive (ClockSkew, RefreshCooldown and IntrospectionCacheDuration may be zero) and MaxResponseBytes at least 1024.");
        }

        if ((Dpop.Accept || Dpop.Require) && Dpop.ToProofOptions().Problem() is { } dpopProblem)
        {
            throw new InvalidOperationException("TesseraBearer Dpop: " + dpopProblem);
        }

        if (Dpop.Require && !Dpop.Accept)
        {
            throw new InvalidOperationException("TesseraBearer Dpop: Require needs Accept (a resource that refuses bearer tokens must take DPoP ones).");
        }

        if (IntrospectionEndpoint is not null)
        {
            if (!IsAllowedAddress(IntrospectionEndpoint, RequireHttps))
            {
                throw new InvalidOperationException("TesseraBearer IntrospectionEndpoint must be an absolute https address.");
            }

            if (string.IsNullOrEmpty(IntrospectionClientId) || IntrospectionClientSecret is null)
            {
                throw new InvalidOperationException("TesseraBearer IntrospectionEndpoint needs IntrospectionClientId and IntrospectionClientSecret (RFC 7662 §2.1 requires the caller to authenticate).");
            }
        }
    }

    internal static bool IsAllowedAddress(string address, bool requireHttps) =>
        Uri.TryCreate(address, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!requireHttps && uri.Scheme == Uri.UriSchemeHttp))
        && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);
}
