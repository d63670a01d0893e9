namespace Tessera.Sessions;

/// <summary>
/// How the secret a rotation retires will be looked for afterwards (issue #13), so a store knows
/// whether to keep an index by its hash. Either way the record keeps
/// <see cref="SessionRecord.PreviousSecretHash"/>: reuse detection and the grace answer compare
/// against it (RFC 9700 §4.14.2).
/// </summary>
public enum PreviousSecretLookup
{
    /// <summary>
    /// By its hash: <see cref="ISessionSecretRotation.FindByPreviousSecretHashAsync"/> finds the
    /// session until the next rotation. A version-1 refresh token (before generations) names no
    /// session, so this is the only way back to it; also the default of every older overload.
    /// </summary>
    ByHash,

    /// <summary>
    /// Only through the session's handle: the secret names its session (a version-2 refresh token) or
    /// is never looked for again (a cookie secret), so a store may keep no index by the retired hash
    /// and <see cref="ISessionSecretRotation.FindByPreviousSecretHashAsync"/> may not find it (Redis
    /// saves a key per rotated session this way).
    /// </summary>
    ByHandle,
}
