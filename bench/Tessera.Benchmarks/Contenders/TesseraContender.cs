using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;

namespace Tessera.Benchmarks.Contenders;

/// <summary>Tessera.Jose: <see cref="JwtSigner"/> and a <see cref="JwtValidator"/> built once.</summary>
public sealed class TesseraContender : Contender
{
    private readonly JwtDescriptor _descriptor;
    private readonly JwtValidator _validator;
    private readonly JwkSet _keys;

    public TesseraContender(BenchKey key, AccessToken token)
        : base("Tessera", key)
    {
        _descriptor = Descriptor(token);
        _keys = JwkSet.Of(key.TesseraVerifying);
        _validator = new JwtValidator(Policy(key.Algorithm));
    }

    /// <summary>iss, aud and exp checked (exp is required by default), one algorithm allowed, 60 s skew.</summary>
    public static JwtValidationPolicy Policy(string algorithm) => new()
    {
        AllowedAlgorithms = [algorithm],
        ValidIssuers = [AccessToken.Issuer],
        ValidAudiences = [AccessToken.Audience],
        ClockSkew = AccessToken.ClockSkew,
    };

    public static JwtDescriptor Descriptor(AccessToken token) => new()
    {
        Issuer = AccessToken.Issuer,
        Subject = AccessToken.Subject,
        Audiences = [AccessToken.Audience],
        ExpiresAt = token.ExpiresAt,
        IssuedAt = token.IssuedAt,
        JwtId = AccessToken.JwtId,
        AdditionalClaims = new JsonObject { [AccessToken.RoleClaim] = AccessToken.Role },
    };

    public override string Sign() => JwtSigner.Sign(_descriptor, Key.TesseraSigning);

    public override string? Validate(string token) => _validator.Validate(token, _keys).Claims?.Subject;

    /// <summary>The whole result, for the checks.</summary>
    public JwtValidation ValidateFull(string token) => _validator.Validate(token, _keys);
}
