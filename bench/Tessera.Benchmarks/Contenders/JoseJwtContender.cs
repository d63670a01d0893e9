using Jose;

namespace Tessera.Benchmarks.Contenders;

/// <summary>
/// jose-jwt 5.x: <c>JWT.Encode</c> and <c>JWT.Decode&lt;T&gt;</c> with the expected algorithm pinned.
/// It verifies the signature only, so the same claim checks are made on the dictionary it returns
/// (<see cref="ClaimChecks"/>). EdDSA is not supported by this library and is left out.
/// </summary>
public sealed class JoseJwtContender : Contender
{
    private readonly object _signingKey;
    private readonly object _verifyingKey;
    private readonly JwsAlgorithm _algorithm;
    private readonly Dictionary<string, object> _payload;
    private readonly Dictionary<string, object> _headers;

    public JoseJwtContender(BenchKey key, AccessToken token)
        : base("JoseJwt", key)
    {
        (_signingKey, _verifyingKey, _algorithm) = key.Algorithm switch
        {
            "HS256" => ((object)key.Secret!, (object)key.Secret!, JwsAlgorithm.HS256),
            "RS256" => (key.RsaPrivate!, key.RsaPublic!, JwsAlgorithm.RS256),
            "ES256" => (key.EcPrivate!, (object)key.EcPublic!, JwsAlgorithm.ES256),
            _ => throw new NotSupportedException($"jose-jwt does not support {key.Algorithm}"),
        };
        _payload = token.ToDictionary();
        _headers = new Dictionary<string, object>(StringComparer.Ordinal) { ["typ"] = "JWT", ["kid"] = key.KeyId };
    }

    public override string Sign() => global::Jose.JWT.Encode(_payload, _signingKey, _algorithm, _headers);

    public override string? Validate(string token) =>
        ClaimChecks.Check(global::Jose.JWT.Decode<Dictionary<string, object>>(token, _verifyingKey, _algorithm), checkTimes: true);

    internal static bool Supports(string algorithm) => algorithm is "HS256" or "RS256" or "ES256";
}
