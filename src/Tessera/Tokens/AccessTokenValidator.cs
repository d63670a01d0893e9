using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.Keys;

namespace Tessera.Tokens;

/// <summary>
/// Checks the JWS and the claims of an access token this server issued: signature by a key of the
/// ring (read again once when the <c>kid</c> is unknown), <c>typ</c> at+jwt, issuer, audience,
/// expiry, and <c>sub</c>. A token session's tokens name their session in <c>sid</c>; a client's own
/// token (client_credentials) has none, and the caller decides what that means. The session behind
/// <c>sid</c> is not its business. The <see cref="JwtValidator"/> is built once and reused, so its cache of
/// verified headers serves every request; a token verified before is answered by the
/// <see cref="VerifiedTokenCache"/> (its exact text compared, its <c>exp</c> and its key checked on each
/// hit), while the issuer here and the session after it are checked on every request.
/// </summary>
internal sealed class AccessTokenValidator
{
    private readonly SigningKeyRing _keys;
    private readonly JwtValidator _validator;
    private readonly VerifiedTokenCache? _cache;

    public AccessTokenValidator(SigningKeyRing keys, TesseraTokenOptions options, TimeProvider time)
    {
        _keys = keys;
        // The issuer is checked after validation, against the issuer of the request: without a
        // configured one it is the origin the request came to, so it is not known here.
        _validator = new JwtValidator(new JwtValidationPolicy
        {
            AllowedAlgorithms = [options.Algorithm],
            ValidAudiences = [options.Audience],
            RequiredType = AccessTokenIssuer.TokenType,
            RequiredClaims = ["exp", "iss", "sub", "iat", "jti"],
            ClockSkew = TimeSpan.Zero,
            TimeProvider = time,
        });
        _cache = options.VerifiedTokenCacheEntries > 0 ? new VerifiedTokenCache(options.VerifiedTokenCacheEntries, options.VerifiedTokenCacheBytes) : null;
    }

    /// <summary>The verified-token cache, null when turned off.</summary>
    internal VerifiedTokenCache? Cache => _cache;

    /// <summary>
    /// The claims and the <c>sid</c> (null when the token names no session) of a valid token, and whether the
    /// verified-token cache answered (the same claims instance as on earlier requests); otherwise
    /// <c>invalid_token</c> with the JOSE code in <see cref="TesseraError.Reason"/> (RFC 6750 §3.1 keeps one outward code).
    /// </summary>
    public async ValueTask<Outcome<(JwtClaims Claims, string? SessionId, bool FromCache)>> ValidateAsync(string? accessToken, string issuer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return Invalid("The access token is missing.", reason: null);
        }

        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        JwtValidation validation = Validate(accessToken, keys.Published, out bool fromCache);
        if (validation.Error?.Code == JoseErrorCodes.KeyNotFound)
        {
            // Signed by a key another instance added since this one last read the ring?
            KeyRingSnapshot reread = await _keys.RereadAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(reread, keys))
            {
                validation = Validate(accessToken, reread.Published, out fromCache);
            }
        }

        if (!validation.IsValid)
        {
            string code = validation.Error!.Code;
            return Invalid(code == JoseErrorCodes.Expired ? "The access token has expired." : "The access token is not valid.", code);
        }

        JwtClaims claims = validation.Claims!;
        if (!string.Equals(claims.Issuer, issuer, StringComparison.Ordinal))
        {
            return Invalid("The access token is not valid.", JoseErrorCodes.IssuerInvalid);
        }

        // The common case first: a string sid, read once per (cached) token without parsing the payload.
        if (claims.SessionId is { Length: > 0 } sid)
        {
            return Outcome.Success<(JwtClaims, string?, bool)>((claims, sid, fromCache));
        }

        return claims.TryGetClaim("sid", out _)
            ? Invalid("The access token is not valid.", JoseErrorCodes.Malformed)
            : Outcome.Success<(JwtClaims, string?, bool)>((claims, null, fromCache));
    }

    private JwtValidation Validate(string accessToken, JwkSet keys, out bool fromCache)
    {
        fromCache = false;
        return _cache is { } cache ? CachedValidate(cache, accessToken, keys, out fromCache) : _validator.Validate(accessToken, keys);
    }

    private JwtValidation CachedValidate(VerifiedTokenCache cache, string accessToken, JwkSet keys, out bool fromCache)
    {
        JwtValidation validation = cache.Validate(_validator, accessToken, keys, out fromCache);
        Telemetry.TesseraMetrics.CacheLookup(Telemetry.TesseraCaches.VerifiedToken, fromCache);
        return validation;
    }

    private static Outcome<(JwtClaims, string?, bool)> Invalid(string message, string? reason) =>
        Outcome.Failure<(JwtClaims, string?, bool)>(new TesseraError(TesseraErrorCodes.InvalidToken, message) { Reason = reason });
}
