namespace Tessera.Keys;

/// <summary>
/// One key of the ring, as stored. The private half is only ever stored protected
/// (<see cref="ISecretProtector"/>); <see cref="PublicJwk"/> is what the JWKS publishes.
/// A signing key signs from <see cref="ActivatesAt"/> until the next newer key activates (or
/// <see cref="RetiresAt"/>), and is published from its creation until every token it signed expired.
/// </summary>
public sealed record SigningKeyRecord
{
    /// <summary>The layout version written by this build; a record of a newer one is refused rather than misread.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The RFC 7638 thumbprint of the key (signing keys) or a random id (the refresh secret).</summary>
    public required string KeyId { get; init; }

    /// <summary><see cref="SigningKeyUses.Signing"/> or <see cref="SigningKeyUses.RefreshDerivation"/>.</summary>
    public required string Use { get; init; }

    /// <summary>The JWS algorithm the key signs with (<c>ES256</c>, <c>RS256</c>, …).</summary>
    public required string Algorithm { get; init; }

    /// <summary>The public JWK (JSON); null for a secret that is never published.</summary>
    public string? PublicJwk { get; init; }

    /// <summary>The private JWK or secret, protected at rest.</summary>
    public required string ProtectedPrivate { get; init; }

    /// <summary>When the key was made; the newest key past its publication lead signs.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key may start signing: later than <see cref="CreatedAt"/> so it is published first.</summary>
    public required DateTimeOffset ActivatesAt { get; init; }

    /// <summary>Set when the key was retired by hand (it stops signing then).</summary>
    public DateTimeOffset? RetiresAt { get; init; }

    /// <summary>The record's layout version (<see cref="CurrentFormatVersion"/> when written by this build).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;
}

/// <summary>What a key of the ring is for.</summary>
public static class SigningKeyUses
{
    /// <summary>Signs access tokens; published in the JWKS.</summary>
    public const string Signing = "sig";

    /// <summary>The server secret refresh tokens are derived with (never published).</summary>
    public const string RefreshDerivation = "refresh";
}
