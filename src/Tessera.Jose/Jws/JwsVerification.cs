using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jws;

/// <summary>The outcome of verifying a JWS: the payload, algorithm and key on success, or an error.</summary>
public readonly record struct JwsVerification(byte[]? Payload, JwsAlgorithm? Algorithm, Jwk? Key, JoseError? Error)
{
    /// <summary>True when the signature verified and every header rule held; otherwise <see cref="Error"/> says why.</summary>
    public bool IsValid => Error is null;

    internal static JwsVerification Fail(JoseError error) => new(null, null, null, error);
}
