using System.Collections.Frozen;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jws;

/// <summary>The header-level rules one verification applies, resolved once from the caller's options.</summary>
internal sealed class JwsRules
{
    /// <summary>The one algorithm an RSA key without <c>alg</c> verifies under these rules.</summary>
    private readonly JwsAlgorithm _rsaWithoutAlg;

    /// <summary>The one algorithm an oct key without <c>alg</c> verifies under these rules.</summary>
    private readonly JwsAlgorithm _octetWithoutAlg;

    public JwsRules(IReadOnlyCollection<string>? allowedAlgorithms, string? requiredType, int maxTokenLength, IReadOnlyCollection<string>? understoodCriticalHeaders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokenLength, 16);
        AllowedAlgorithms = allowedAlgorithms is null ? null : JwsAlgorithms.ResolveAllowList(allowedAlgorithms);
        RequiredType = requiredType is null ? null : JwsTypes.Normalize(requiredType);
        MaxTokenLength = maxTokenLength;
        UnderstoodCriticalHeaders = (understoodCriticalHeaders ?? []).ToFrozenSet(StringComparer.Ordinal);
        _rsaWithoutAlg = OneAlgorithmFor(JwkKeyType.Rsa, JwsAlgorithms.RS256);
        _octetWithoutAlg = OneAlgorithmFor(JwkKeyType.Octet, JwsAlgorithms.HS256);
    }

    /// <summary>Null: whatever each key permits (its own <c>alg</c>, or for a key without one, see <see cref="KeyMayVerify"/>).</summary>
    public FrozenSet<JwsAlgorithm>? AllowedAlgorithms { get; }

    /// <summary>The expected <c>typ</c>, without any <c>application/</c> prefix; null: not checked.</summary>
    public string? RequiredType { get; }

    public int MaxTokenLength { get; }

    public FrozenSet<string> UnderstoodCriticalHeaders { get; }

    /// <summary>
    /// Whether <paramref name="key"/> may verify a signature made with <paramref name="algorithm"/>
    /// under these rules: what the key permits (<see cref="Jwk.Permits"/>), and, for a key without
    /// <c>alg</c> whose material fits several algorithms (RSA: RS*/PS*; oct: HS*), only the one
    /// algorithm these rules bind it to. RFC 8725 §3.1: a key is used with one algorithm; otherwise
    /// a token's header picks PKCS #1 v1.5 or PSS, SHA-256 or SHA-512, for a key whose owner used one.
    /// </summary>
    public bool KeyMayVerify(Jwk key, JwsAlgorithm algorithm)
    {
        if (!key.Permits(algorithm, JwkOperation.Verify))
        {
            return false;
        }

        // A declared alg was checked by Permits; an EC key fits its curve's algorithm only, an OKP key EdDSA only.
        return key.Algorithm is not null || key.KeyType switch
        {
            JwkKeyType.Rsa => ReferenceEquals(algorithm, _rsaWithoutAlg),
            JwkKeyType.Octet => ReferenceEquals(algorithm, _octetWithoutAlg),
            _ => true,
        };
    }

    /// <summary>
    /// The algorithm a key of <paramref name="keyType"/> without <c>alg</c> is bound to: the one of its
    /// type the allow-list names, when it names exactly one; otherwise <paramref name="fallback"/> (RS256,
    /// the algorithm OpenID Connect Discovery 1.0 §3 assumes; HS256), usable only if the allow-list has it.
    /// </summary>
    private JwsAlgorithm OneAlgorithmFor(JwkKeyType keyType, JwsAlgorithm fallback)
    {
        JwsAlgorithm[] named = AllowedAlgorithms is null ? [] : [.. AllowedAlgorithms.Where(a => a.KeyType == keyType)];
        return named.Length == 1 ? named[0] : fallback;
    }

    /// <summary>Headers of tokens that verified under these rules, so that a repeated header is read once.</summary>
    public VerifiedHeaderCache VerifiedHeaders { get; } = new();
}
