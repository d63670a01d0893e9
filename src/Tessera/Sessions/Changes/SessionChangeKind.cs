namespace Tessera.Sessions.Changes;

/// <summary>What happened to a session, as far as a copy held by another instance is concerned.</summary>
public enum SessionChangeKind
{
    /// <summary>The session was revoked (sign-out, reuse detection, admin, account disabled): refuse it from now on.</summary>
    Revoked = 1,

    /// <summary>Something else changed (secret rotated, flagged, attributes, a touch that moved its expiry): read it again.</summary>
    Changed = 2,

    /// <summary>The session was removed from the store (purge, account deletion).</summary>
    Deleted = 3,
}
