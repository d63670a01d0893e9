namespace Tessera.Sessions.Changes;

/// <summary>
/// One change to a stored session that other instances must hear about: a local copy of the
/// session (a near cache) or of its revocation (a pushed revocation list) is stale from then on.
/// Carries names only, never a secret or a secret hash.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Handle">The session's handle (its <c>sid</c>).</param>
/// <param name="UserId">The session's user, when the writer knows it (needed to drop a user's cached list).</param>
/// <param name="ListedFor">
/// For <see cref="SessionChangeKind.Revoked"/>: how long the store keeps the id on its revocation list
/// (the issuer's longest access token plus skew), when the writer says. A listener holding revoked ids
/// keeps them at least that long, whatever its own settings say.
/// </param>
public readonly record struct SessionChange(SessionChangeKind Kind, string Handle, string? UserId = null, TimeSpan? ListedFor = null);
