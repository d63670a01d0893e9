namespace Tessera.Sessions;

/// <summary>Optional capability: a user's sessions, for "my devices" and "log out everywhere".</summary>
public interface ISessionListing
{
    /// <summary>The user's sessions active at <paramref name="now"/>, newest first.</summary>
    ValueTask<IReadOnlyList<SessionRecord>> ListActiveForUserAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every not-yet-revoked session of the user except <paramref name="exceptHandle"/>; returns how many.</summary>
    ValueTask<int> RevokeAllForUserAsync(string userId, string? exceptHandle, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken);
}
