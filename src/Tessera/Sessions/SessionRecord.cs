namespace Tessera.Sessions;

/// <summary>
/// One sign-in of one user on one device: the record behind every mode (cookie today; access and
/// refresh tokens later). The client's secret is never stored, only <see cref="SecretHash"/>
/// (SHA-256); <see cref="Handle"/> is the public name of the session in lists and URLs.
/// </summary>
public sealed record SessionRecord
{
    /// <summary>The layout version written by this code; every stored session carries one.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Public identifier (128 random bits, base64url). Not a credential.</summary>
    public required string Handle { get; init; }

    /// <summary>The user the session belongs to.</summary>
    public required string UserId { get; init; }

    /// <summary>
    /// SHA-256 of the client's current secret (the cookie value today, the current refresh token in
    /// token mode). Replaced atomically by <see cref="ISessionSecretRotation"/> (<c>TryRotateSecretAsync</c>).
    /// </summary>
    public required ReadOnlyMemory<byte> SecretHash { get; init; }

    /// <summary>When the session began (the sign-in).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a request last used the session (updated at most once per touch interval).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Slides forward with activity, never past <see cref="AbsoluteExpiresAt"/>.</summary>
    public required DateTimeOffset IdleExpiresAt { get; init; }

    /// <summary>The session ends then, however active it is.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>The client's IP address at sign-in.</summary>
    public string? ClientIp { get; init; }

    /// <summary>The client's User-Agent at sign-in.</summary>
    public string? UserAgent { get; init; }

    /// <summary>When the session was revoked; null while it is not.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why the session was revoked, one of <see cref="RevocationReasons"/>.</summary>
    public string? RevocationReason { get; init; }

    /// <summary>Set when a request broke the session's binding and the policy is to flag, not end.</summary>
    public DateTimeOffset? FlaggedAt { get; init; }

    /// <summary>Why the session was flagged (the binding that broke).</summary>
    public string? FlagReason { get; init; }

    /// <summary>How the client holds the session: <see cref="SessionKinds.Cookie"/> or <see cref="SessionKinds.Token"/> (a refresh token).</summary>
    public string Kind { get; init; } = SessionKinds.Cookie;

    /// <summary>
    /// SHA-256 of the secret that <see cref="SecretHash"/> replaced at the last rotation; null before
    /// the first. Token mode uses it to tell reuse of the previous refresh token (a replay) from an
    /// unknown token, and to serve the grace answer.
    /// </summary>
    public ReadOnlyMemory<byte>? PreviousSecretHash { get; init; }

    /// <summary>When <see cref="SecretHash"/> was last replaced; null before the first rotation.</summary>
    public DateTimeOffset? SecretRotatedAt { get; init; }

    /// <summary>
    /// How many times the secret was replaced (0 before the first rotation). A refresh token carries
    /// the generation it was issued at, so one older than this is recognised as reuse without
    /// keeping every retired hash (RFC 9700 §4.14.2 with O(1) storage per session).
    /// </summary>
    public long Generation { get; init; }

    /// <summary>
    /// <see cref="SessionClientFingerprint"/> of the client whose request made the last rotation;
    /// only that client gets the grace answer to the previous refresh token. Null before the first.
    /// </summary>
    public ReadOnlyMemory<byte>? RotatedBy { get; init; }

    /// <summary>
    /// The OAuth client the session was granted to (authorization code flow); null for Tessera's own
    /// first-party sign-in (<see cref="Tokens.TesseraTokenOptions.ClientId"/>).
    /// </summary>
    public string? ClientId { get; init; }

    /// <summary>The granted scope, space-separated; null for the first-party default (<see cref="Tokens.TesseraTokenOptions.Scope"/>).</summary>
    public string? Scope { get; init; }

    /// <summary>When the user last authenticated for this session (OIDC <c>auth_time</c>); null: <see cref="CreatedAt"/>.</summary>
    public DateTimeOffset? AuthenticatedAt { get; init; }

    /// <summary>
    /// How the user proved who they are at this sign-in: RFC 8176 <c>amr</c> values separated by one
    /// space (<see cref="AuthenticationMethodValues"/>); null on records written before issue #16, which
    /// were all password sign-ins (<see cref="AuthenticationMethodValues.Password"/>). The device list shows
    /// it and the ID token carries it as <c>amr</c>.
    /// </summary>
    public string? AuthenticationMethods { get; init; }

    /// <summary>
    /// The RFC 7638 thumbprint (<c>jkt</c>) of the DPoP key the session's tokens are bound to
    /// (RFC 9449 §6); null when not bound. A refresh of a bound session must come with a proof signed
    /// by this key (RFC 9449 §5), and every access token it issues carries it as <c>cnf.jkt</c>.
    /// </summary>
    public string? KeyThumbprint { get; init; }

    /// <summary>The record's layout version (<see cref="CurrentFormatVersion"/> when written by this build).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>True once the session was revoked (<see cref="RevokedAt"/> is set).</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Not revoked and neither expiry reached at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => !IsRevoked && now < IdleExpiresAt && now < AbsoluteExpiresAt;
}
