namespace Tessera.Sessions;

/// <summary>Session lifetimes and limits. Defaults follow OWASP's Session Management Cheat Sheet.</summary>
public sealed record TesseraSessionOptions
{
    /// <summary>Inactivity that ends a session (sliding).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Lifetime that ends a session however active it is.</summary>
    public TimeSpan AbsoluteTimeout { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// "Last seen" is written at most this often per session: reading the session is one store
    /// read per request, writing it on every request would double the store load for little gain.
    /// The idle expiry is therefore accurate to within this interval.
    /// </summary>
    public TimeSpan TouchInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>What a session is bound to at sign-in; <see cref="SessionBinding.None"/> by default.</summary>
    public SessionBinding BindTo { get; init; } = SessionBinding.None;

    /// <summary>What a request that breaks the binding does: revoke the session (default) or flag it.</summary>
    public SessionBindingAction OnBindingMismatch { get; init; } = SessionBindingAction.Revoke;

    /// <summary>The most attributes one session may hold.</summary>
    public int MaxAttributes { get; init; } = 32;

    /// <summary>Characters of a string value; UTF-8 bytes of the compact JSON text of any other value.</summary>
    public int MaxAttributeValueLength { get; init; } = 4096;

    /// <summary>
    /// UTF-8 bytes of all of a session's attribute keys and stored values together; 0 (the default)
    /// sets no budget beyond <see cref="MaxAttributes"/> × <see cref="MaxAttributeValueLength"/>.
    /// </summary>
    public int MaxAttributeBytesPerSession { get; init; }

    /// <summary>
    /// Live sessions one user may hold (every kind together); signing in once more ends the oldest
    /// (revocation reason <c>session_limit</c>). 50 covers a person's browsers, phones, apps and the
    /// OAuth clients they use, and bounds what one account can make the store hold (issue #14): at
    /// most this many live session rows, and <see cref="MaxAttributeBytesPerSession"/> per session of attributes.
    /// </summary>
    public int MaxSessionsPerUser { get; init; } = 50;

    /// <summary>
    /// How many session cookie secrets each instance remembers in memory, with their SHA-256, once
    /// they named a live session, so a returning cookie is looked up without hashing it again (about
    /// 0.5 µs a request). Never written to the store, which keeps only hashes; a secret is forgotten
    /// when its session is found ended, or once it went unused for <see cref="IdleTimeout"/>; 0 turns
    /// it off (see docs/security.md). About 250 bytes each.
    /// </summary>
    public int RememberedCookieSecrets { get; init; } = 10_000;

    /// <summary>
    /// The most UTF-8 bytes of attribute keys and stored values one session can hold, whatever the
    /// timing of concurrent writes: <see cref="MaxAttributes"/> × (a key of
    /// <see cref="SessionAttributeRules.MaximumKeyLength"/> + the longest stored text of a value,
    /// 6 × <see cref="MaxAttributeValueLength"/> + 3 for a string of control characters escaped as
    /// <c>\uXXXX</c> in its JSON form). <see cref="MaxAttributeBytesPerSession"/> keeps a session well
    /// under it in practice (it is checked before the write, not in the same step).
    /// </summary>
    public long MaxAttributeBytesPerSessionBound => MaxAttributes * (SessionAttributeRules.MaximumKeyLength + 3L + (6L * MaxAttributeValueLength));

    /// <summary>
    /// The most attribute bytes one user's live sessions hold together (issue #14 finding 5):
    /// <see cref="MaxSessionsPerUser"/> × <see cref="MaxAttributeBytesPerSessionBound"/>. Ended sessions
    /// keep theirs until the purge deletes them.
    /// </summary>
    public long MaxAttributeBytesPerUser => MaxSessionsPerUser * MaxAttributeBytesPerSessionBound;

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem()
    {
        if (IdleTimeout <= TimeSpan.Zero)
        {
            return "IdleTimeout must be positive";
        }

        if (AbsoluteTimeout < IdleTimeout)
        {
            return "AbsoluteTimeout must be at least IdleTimeout";
        }

        if (TouchInterval < TimeSpan.Zero || TouchInterval >= IdleTimeout)
        {
            return "TouchInterval must be zero or more and shorter than IdleTimeout";
        }

        if (!Enum.IsDefined(BindTo) || !Enum.IsDefined(OnBindingMismatch))
        {
            return "BindTo must be none, ip, userAgent or both, and OnBindingMismatch revoke or flag";
        }

        if (MaxAttributes is < 0 or > 1000 || MaxAttributeValueLength is < 1 or > 65536 || MaxAttributeBytesPerSession is < 0 or > 64 * 1024 * 1024)
        {
            return "MaxAttributes must be 0 to 1000, MaxAttributeValueLength 1 to 65536 and MaxAttributeBytesPerSession 0 (no budget) to 67108864";
        }

        if (MaxSessionsPerUser is < 1 or > 10_000)
        {
            return "MaxSessionsPerUser must be 1 to 10000";
        }

        if (RememberedCookieSecrets is < 0 or > 1_000_000)
        {
            return "RememberedCookieSecrets must be 0 (off) to 1000000";
        }

        return null;
    }
}
