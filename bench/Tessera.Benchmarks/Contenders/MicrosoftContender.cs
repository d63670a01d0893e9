using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Benchmarks.Contenders;

/// <summary>
/// Microsoft.IdentityModel.JsonWebTokens 8.x: <see cref="JsonWebTokenHandler"/> with
/// <see cref="TokenValidationParameters"/> equivalent to Tessera's policy. No metadata: the signing
/// key is given directly (no ConfigurationManager, so no OpenID Connect fetches and no
/// last-known-good fallback). The handler's own signature-provider cache (CryptoProviderFactory's
/// default) stays on, as Tessera keeps its keyed HMAC states: each library keeps its key set up.
/// EdDSA is not supported by this library and is left out.
/// </summary>
public sealed class MicrosoftContender : Contender
{
    private readonly JsonWebTokenHandler _handler;
    private readonly SecurityTokenDescriptor _descriptor;
    private readonly TokenValidationParameters _parameters;

    public MicrosoftContender(BenchKey key, AccessToken token)
        : base("Microsoft", key)
    {
        SecurityKey signingKey = key.Algorithm switch
        {
            "HS256" => new SymmetricSecurityKey(key.Secret) { KeyId = key.KeyId },
            "RS256" => new RsaSecurityKey(key.RsaPrivate) { KeyId = key.KeyId },
            "ES256" => new ECDsaSecurityKey(key.EcPrivate) { KeyId = key.KeyId },
            _ => throw new NotSupportedException($"Microsoft.IdentityModel does not support {key.Algorithm}"),
        };
        SecurityKey verifyingKey = key.Algorithm switch
        {
            "HS256" => signingKey,
            "RS256" => new RsaSecurityKey(key.RsaPublic) { KeyId = key.KeyId },
            _ => new ECDsaSecurityKey(key.EcPublic) { KeyId = key.KeyId },
        };

        // No automatic nbf/iat/exp: the descriptor says exactly what the others write.
        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        _descriptor = new SecurityTokenDescriptor
        {
            Issuer = AccessToken.Issuer,
            Audience = AccessToken.Audience,
            Expires = token.ExpiresAt.UtcDateTime,
            IssuedAt = token.IssuedAt.UtcDateTime,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["sub"] = AccessToken.Subject,
                ["jti"] = AccessToken.JwtId,
                [AccessToken.RoleClaim] = AccessToken.Role,
            },
            SigningCredentials = new SigningCredentials(signingKey, key.Algorithm),
        };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = AccessToken.Issuer,
            ValidAudience = AccessToken.Audience,
            IssuerSigningKey = verifyingKey,
            ValidAlgorithms = [key.Algorithm],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = AccessToken.ClockSkew,

            // Key lifetime (certificate dates) is not something the other libraries check either.
            ValidateIssuerSigningKey = false,
            ConfigurationManager = null,
        };
    }

    public override string Sign() => _handler.CreateToken(_descriptor);

    public override string? Validate(string token)
    {
        // Completes synchronously: no configuration to fetch.
        TokenValidationResult result = _handler.ValidateTokenAsync(token, _parameters).GetAwaiter().GetResult();
        return result.IsValid ? ((JsonWebToken)result.SecurityToken).Subject : null;
    }

    /// <summary>Why a token was refused, for the checks.</summary>
    public Exception? ValidationException(string token) =>
        _handler.ValidateTokenAsync(token, _parameters).GetAwaiter().GetResult().Exception;

    internal static bool Supports(string algorithm) => algorithm is "HS256" or "RS256" or "ES256";
}
