using JWT;
using JWT.Algorithms;
using JWT.Serializers;

namespace Tessera.Benchmarks.Contenders;

/// <summary>
/// JWT.Net 7.x (the <c>JWT</c> package): a <see cref="JwtEncoder"/> and a <see cref="JwtDecoder"/>
/// with its <see cref="JwtValidator"/> (exp and nbf, 60 s margin), built once — what
/// <c>JwtBuilder</c> assembles on every call. It checks neither iss nor aud, nor that exp is
/// present, so those checks are made on the dictionary it returns (<see cref="ClaimChecks"/>).
/// Version 7 has only HS* and RS256: ES256 and EdDSA are left out.
/// </summary>
public sealed class JwtNetContender : Contender
{
    private readonly JwtEncoder _encoder;
    private readonly JwtDecoder _decoder;
    private readonly byte[] _key;
    private readonly Dictionary<string, object> _payload;
    private readonly Dictionary<string, object> _headers;

    public JwtNetContender(BenchKey key, AccessToken token)
        : base("JwtNet", key)
    {
        (IJwtAlgorithm signing, IJwtAlgorithm verifying) = key.Algorithm switch
        {
            "HS256" => ((IJwtAlgorithm)new HMACSHA256Algorithm(), (IJwtAlgorithm)new HMACSHA256Algorithm()),
            "RS256" => (new RS256Algorithm(key.RsaPublic!, key.RsaPrivate!), new RS256Algorithm(key.RsaPublic!)),
            _ => throw new NotSupportedException($"JWT.Net 7 does not support {key.Algorithm}"),
        };

        // The asymmetric algorithms ignore the byte[] key, but the API asks for one.
        _key = key.Secret ?? [0];
        var serializer = new JsonNetSerializer();
        var urlEncoder = new JwtBase64UrlEncoder();
        var validator = new JwtValidator(serializer, new UtcDateTimeProvider(), (int)AccessToken.ClockSkew.TotalSeconds);
        _encoder = new JwtEncoder(signing, serializer, urlEncoder);
        _decoder = new JwtDecoder(serializer, validator, urlEncoder, verifying);
        _payload = token.ToDictionary();
        _headers = new Dictionary<string, object>(StringComparer.Ordinal) { ["kid"] = key.KeyId };
    }

    public override string Sign() => _encoder.Encode(_headers, _payload, _key);

    public override string? Validate(string token) =>
        ClaimChecks.Check(_decoder.DecodeToObject<IDictionary<string, object>>(token, _key, verify: true), checkTimes: false);

    internal static bool Supports(string algorithm) => algorithm is "HS256" or "RS256";
}
