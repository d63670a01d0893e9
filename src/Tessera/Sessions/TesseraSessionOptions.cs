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

    public SessionBinding BindTo { get; init; } = SessionBinding.None;

    public SessionBindingAction OnBindingMismatch { get; init; } = SessionBindingAction.Revoke;

    public int MaxAttributes { get; init; } = 32;

    /// <summary>Characters of a string value; UTF-8 bytes of the compact JSON text of any other value.</summary>
    public int MaxAttributeValueLength { get; init; } = 4096;

    /// <summary>
    /// UTF-8 bytes of all of a session's attribute keys and stored values together; 0 (the default)
    /// sets no budget beyond <see cref="MaxAttributes"/> × <see cref="MaxAttributeValueLength"/>.
    /// </summary>
    public int MaxAttributeBytesPerSession { get; init; }

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

        return null;
    }
}
