using Tessera.Jose.Keys;

namespace Tessera.Keys;

/// <summary>
/// The ring at one moment: the key that signs for each configured algorithm, the public keys that
/// verify, the refresh secrets.
/// </summary>
public sealed class KeyRingSnapshot
{
    private readonly IReadOnlyDictionary<string, Lazy<Jwk>> _signingKeys;
    private readonly string _accessTokenAlgorithm;
    private readonly Lazy<byte[]> _refreshSecret;
    private readonly Lazy<byte[]?> _previousRefreshSecret;

    internal KeyRingSnapshot(IReadOnlyDictionary<string, Lazy<Jwk>> signingKeys, string accessTokenAlgorithm, JwkSet published, Lazy<byte[]> refreshSecret, Lazy<byte[]?> previousRefreshSecret, DateTimeOffset validUntil)
    {
        _signingKeys = signingKeys;
        _accessTokenAlgorithm = accessTokenAlgorithm;
        Published = published;
        _refreshSecret = refreshSecret;
        _previousRefreshSecret = previousRefreshSecret;
        ValidUntil = validUntil;
    }

    /// <summary>
    /// The private key that signs access tokens now (the key of <see cref="Tokens.TesseraTokenOptions.Algorithm"/>);
    /// throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted.
    /// </summary>
    public Jwk SigningKey => SigningKeyFor(_accessTokenAlgorithm);

    /// <summary>The algorithms this snapshot holds a signing key for (<see cref="Tokens.TesseraTokenOptions.SigningAlgorithms"/>).</summary>
    public IReadOnlyCollection<string> SigningAlgorithms => [.. _signingKeys.Keys];

    /// <summary>The public keys of the JWKS: for every algorithm, the current key, the next one, and retired ones whose tokens may still be live.</summary>
    public JwkSet Published { get; }

    /// <summary>The secret new refresh tokens are derived with; throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted.</summary>
    internal byte[] RefreshSecret => _refreshSecret.Value;

    /// <summary>The refresh secret before <see cref="RefreshSecret"/>, when there is one and it is readable.</summary>
    internal byte[]? PreviousRefreshSecret => _previousRefreshSecret.Value;

    /// <summary>When the snapshot must be rebuilt at the latest (a waiting key activates, a retired one leaves the JWKS).</summary>
    public DateTimeOffset ValidUntil { get; }

    internal bool IsUsableAt(DateTimeOffset now) => now < ValidUntil;

    /// <summary>
    /// The private key that signs with <paramref name="algorithm"/> now (its <c>kid</c> and <c>alg</c>
    /// set); throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted, and
    /// <see cref="ArgumentException"/> for an algorithm the ring is not configured to keep a key for.
    /// </summary>
    public Jwk SigningKeyFor(string algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return _signingKeys.TryGetValue(algorithm, out Lazy<Jwk>? key)
            ? key.Value
            : throw new ArgumentException(
                $"The key ring holds no {algorithm} signing key: it keeps one for {string.Join(", ", _signingKeys.Keys)} "
                + "(Tessera:Tokens:Algorithm and Tessera:Tokens:IdTokenAlgorithms).", nameof(algorithm));
    }

    /// <summary>Decrypts what signing and refreshing need now, so that an unreadable ring fails here.</summary>
    public void EnsureReadable()
    {
        foreach (Lazy<Jwk> key in _signingKeys.Values)
        {
            _ = key.Value;
        }

        _ = RefreshSecret;
    }

    /// <summary>
    /// The snapshot of <paramref name="plan"/>. Private keys are decrypted when first needed:
    /// publishing the JWKS needs none, so it keeps working (and tokens keep verifying) while a key
    /// this instance cannot decrypt blocks only signing.
    /// </summary>
    internal static KeyRingSnapshot Of(KeyRingPlan plan, KeyDecryptor decryptor) => new(
        plan.Current.ToDictionary(p => p.Key, p => new Lazy<Jwk>(() => decryptor.SigningKey(p.Value)), StringComparer.Ordinal),
        plan.AccessTokenAlgorithm,
        new JwkSet([.. plan.Published.Select(key => Jwk.Parse(key.PublicJwk!))]),
        new Lazy<byte[]>(() => decryptor.Secret(plan.RefreshSecret)),
        new Lazy<byte[]?>(() => plan.PreviousRefreshSecret is { } previous ? decryptor.TrySecret(previous) : null),
        plan.ValidUntil);
}
