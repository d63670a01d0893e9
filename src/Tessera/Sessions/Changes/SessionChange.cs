namespace Tessera.Sessions.Changes;

/// <summary>
/// One change to a stored session that other instances must hear about: a local copy of the
/// session (a near cache) or of its revocation (a pushed revocation list) is stale from then on.
/// Carries names only, never a secret or a secret hash.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Handle">The session's handle (its <c>sid</c>).</param>
/// <param name="UserId">The session's user, when the writer knows it (needed to drop a user's cached list).</param>
public readonly record struct SessionChange(SessionChangeKind Kind, string Handle, string? UserId = null);
