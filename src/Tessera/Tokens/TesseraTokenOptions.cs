namespace Tessera.Tokens;

/// <summary>Token mode: access token shape and lifetimes, refresh lifetimes, ID tokens, key rotation.</summary>
public sealed record TesseraTokenOptions
{
    /// <summary>
    /// The ID-token algorithms when <see cref="IdTokenAlgorithms"/> is not set: RS256, which OpenID
    /// Connect Core §15.1 requires every provider to support, and ES256 (shorter keys and signatures).
    /// </summary>
    public static IReadOnlyList<string> DefaultIdTokenAlgorithms { get; } = ["RS256", "ES256"];

    /// <summary>The <c>iss</c> of access tokens and the discovery document; null: the request's own origin.</summary>
    public string? Issuer { get; init; }

    /// <summary>The <c>aud</c> of access tokens.</summary>
    public string Audience { get; init; } = "tessera";

    /// <summary>The <c>client_id</c> claim (RFC 9068 §2.2): the client the tokens were issued to.</summary>
    public string ClientId { get; init; } = "tessera";

    /// <summary>The <c>scope</c> claim of access tokens.</summary>
    public string Scope { get; init; } = "tessera";

    /// <summary>The JWS algorithm of access tokens: any asymmetric algorithm of Tessera.Jose.</summary>
    public string Algorithm { get; init; } = "ES256";

    /// <summary>How long an access token is valid (15 minutes by default); it cannot be revoked before, except by its session's id.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The JWS algorithms ID tokens may be signed with (each client picks one, its
    /// <c>id_token_signed_response_alg</c>); the key ring keeps a key for each. Null:
    /// <see cref="DefaultIdTokenAlgorithms"/>. Null rather than a filled-in default because
    /// configuration binding appends to a list it finds, so an operator could never leave RS256 out.
    /// Read <see cref="IdTokenSigningAlgorithms"/>.
    /// </summary>
    public IReadOnlyList<string>? IdTokenAlgorithms { get; init; }

    /// <summary>
    /// The ID-token algorithms in effect, without repeats: what discovery lists as
    /// <c>id_token_signing_alg_values_supported</c> (OpenID Connect Discovery 1.0 §3).
    /// </summary>
    public IReadOnlyList<string> IdTokenSigningAlgorithms =>
        IdTokenAlgorithms is { } configured ? [.. configured.Distinct(StringComparer.Ordinal)] : DefaultIdTokenAlgorithms;

    /// <summary>
    /// Every algorithm the key ring keeps a signing key for: <see cref="Algorithm"/> (access tokens)
    /// first, then the ID-token ones, each once (an ES256 key signs both kinds of token).
    /// </summary>
    public IReadOnlyList<string> SigningAlgorithms => [.. new[] { Algorithm }.Concat(IdTokenSigningAlgorithms).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// How long an ID token is valid (its <c>exp</c>). Five minutes: an ID token is an assertion
    /// checked once, when the client receives it in the token response (OpenID Connect Core §3.1.3.7),
    /// not a credential held afterwards, so a short life narrows what a leaked one is good for while
    /// leaving room for client clocks a little behind. (It may still come back expired as an
    /// <c>id_token_hint</c> at logout, which accepts expired ones.)
    /// </summary>
    public TimeSpan IdTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A refresh token not used for this long stops working (sliding).</summary>
    public TimeSpan RefreshIdleLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>No refresh works past this, however active the session.</summary>
    public TimeSpan RefreshAbsoluteLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after a rotation the immediately previous refresh token still gets an answer (the
    /// same new pair the rotation produced) instead of counting as reuse.
    /// </summary>
    public TimeSpan ReuseGraceWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A signing key signs for this long before the next one takes over.</summary>
    public TimeSpan KeyRotationInterval { get; init; } = TimeSpan.FromDays(30);

    /// <summary>A new key is published this long before it signs anything (JWKS caches catch up).</summary>
    public TimeSpan KeyPublicationLead { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an instance trusts its in-memory copy of the key ring before reading the store again.</summary>
    public TimeSpan KeyRingRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many verified access tokens the server's own bearer remembers, so a token sent again costs
    /// a look-up instead of a signature verification (see <see cref="Jose.Jwt.VerifiedTokenCache"/> for
    /// why that is as strong: keyed on the exact token text, stored on its second valid request,
    /// ended by its <c>exp</c> or by its key leaving the ring; the issuer and the session are still
    /// checked on every request). 0 turns it off.
    /// </summary>
    public int VerifiedTokenCacheEntries { get; init; } = Jose.Jwt.VerifiedTokenCache.DefaultMaxEntries;

    /// <summary>The approximate memory the verified-token cache may hold, in bytes.</summary>
    public long VerifiedTokenCacheBytes { get; init; } = Jose.Jwt.VerifiedTokenCache.DefaultMaxBytes;

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem()
    {
        if (AccessTokenLifetime <= TimeSpan.Zero || AccessTokenLifetime > TimeSpan.FromDays(1))
        {
            return "AccessTokenLifetime must be positive and at most a day";
        }

        if (RefreshIdleLifetime <= TimeSpan.Zero || RefreshAbsoluteLifetime < RefreshIdleLifetime)
        {
            return "RefreshIdleLifetime must be positive and RefreshAbsoluteLifetime at least RefreshIdleLifetime";
        }

        if (ReuseGraceWindow < TimeSpan.Zero || ReuseGraceWindow > TimeSpan.FromMinutes(1))
        {
            return "ReuseGraceWindow must be between 0 and 1 minute";
        }

        if (KeyPublicationLead < TimeSpan.Zero || KeyRotationInterval <= KeyPublicationLead || KeyRingRefreshInterval < TimeSpan.Zero || KeyRingRefreshInterval > KeyPublicationLead)
        {
            return "KeyRotationInterval must be longer than KeyPublicationLead, and KeyRingRefreshInterval between 0 and KeyPublicationLead";
        }

        if (!IsAsymmetric(Algorithm))
        {
            return "Algorithm must be an asymmetric JWS algorithm (RS256…, PS256…, ES256…, EdDSA)";
        }

        if (IdTokenSigningAlgorithms.Count == 0 || !IdTokenSigningAlgorithms.All(IsAsymmetric))
        {
            return "IdTokenAlgorithms must name at least one asymmetric JWS algorithm (RS256…, PS256…, ES256…, EdDSA), and no other";
        }

        if (IdTokenLifetime <= TimeSpan.Zero || IdTokenLifetime > TimeSpan.FromDays(1))
        {
            return "IdTokenLifetime must be positive and at most a day";
        }

        if (string.IsNullOrWhiteSpace(Audience) || string.IsNullOrWhiteSpace(ClientId) || (Issuer is not null && !Uri.TryCreate(Issuer, UriKind.Absolute, out _)))
        {
            return "Audience and ClientId must be set, and Issuer, when set, an absolute URL";
        }

        if (VerifiedTokenCacheEntries < 0 || (VerifiedTokenCacheEntries > 0 && VerifiedTokenCacheBytes <= 0))
        {
            return "VerifiedTokenCacheEntries must not be negative (0 turns the cache off), and VerifiedTokenCacheBytes must be positive";
        }

        return null;
    }

    /// <summary>
    /// True for an asymmetric algorithm of Tessera.Jose's table: the key ring publishes the public
    /// halves, and an HMAC secret cannot be published (nor shared with every client).
    /// </summary>
    private static bool IsAsymmetric(string algorithm) =>
        algorithm is not null && Jose.Algorithms.JwsAlgorithms.All.TryGetValue(algorithm, out Jose.Algorithms.JwsAlgorithm? row) && row.KeyType != Jose.Keys.JwkKeyType.Octet;
}
