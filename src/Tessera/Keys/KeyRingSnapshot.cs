using Tessera.Jose.Keys;

namespace Tessera.Keys;

/// <summary>The ring at one moment: the key that signs, the public keys that verify, the refresh secrets.</summary>
public sealed class KeyRingSnapshot
{
    private readonly Lazy<Jwk> _signingKey;
    private readonly Lazy<byte[]> _refreshSecret;
    private readonly Lazy<byte[]?> _previousRefreshSecret;

    internal KeyRingSnapshot(Lazy<Jwk> signingKey, JwkSet published, Lazy<byte[]> refreshSecret, Lazy<byte[]?> previousRefreshSecret, DateTimeOffset validUntil)
    {
        _signingKey = signingKey;
        Published = published;
        _refreshSecret = refreshSecret;
        _previousRefreshSecret = previousRefreshSecret;
        ValidUntil = validUntil;
    }

    /// <summary>The private key that signs access tokens now; throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted.</summary>
    public Jwk SigningKey => _signingKey.Value;

    /// <summary>The public keys of the JWKS: the current key, the next one, and retired ones whose tokens may still be live.</summary>
    public JwkSet Published { get; }

    /// <summary>The secret new refresh tokens are derived with; throws <see cref="KeyRingUnavailableException"/> when it cannot be decrypted.</summary>
    internal byte[] RefreshSecret => _refreshSecret.Value;

    /// <summary>The refresh secret before <see cref="RefreshSecret"/>, when there is one and it is readable.</summary>
    internal byte[]? PreviousRefreshSecret => _previousRefreshSecret.Value;

    /// <summary>When the snapshot must be rebuilt at the latest (a waiting key activates, a retired one leaves the JWKS).</summary>
    public DateTimeOffset ValidUntil { get; }

    internal bool IsUsableAt(DateTimeOffset now) => now < ValidUntil;

    /// <summary>Decrypts what signing and refreshing need now, so that an unreadable ring fails here.</summary>
    public void EnsureReadable()
    {
        _ = SigningKey;
        _ = RefreshSecret;
    }

    /// <summary>
    /// The snapshot of <paramref name="plan"/>. Private keys are decrypted when first needed:
    /// publishing the JWKS needs none, so it keeps working (and tokens keep verifying) while a key
    /// this instance cannot decrypt blocks only signing.
    /// </summary>
    internal static KeyRingSnapshot Of(KeyRingPlan plan, KeyDecryptor decryptor) => new(
        new Lazy<Jwk>(() => decryptor.SigningKey(plan.Current)),
        new JwkSet([.. plan.Published.Select(key => Jwk.Parse(key.PublicJwk!))]),
        new Lazy<byte[]>(() => decryptor.Secret(plan.RefreshSecret)),
        new Lazy<byte[]?>(() => plan.PreviousRefreshSecret is { } previous ? decryptor.TrySecret(previous) : null),
        plan.ValidUntil);
}
