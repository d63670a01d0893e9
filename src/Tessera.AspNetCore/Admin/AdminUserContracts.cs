using Tessera.AspNetCore.Endpoints;
using Tessera.Users;

namespace Tessera.AspNetCore.Admin;

/// <summary>
/// An account as the admin API shows it: never the password hash. <c>disabledAt</c> is when an
/// administrator disabled it (null: enabled); <c>lockedUntil</c> is when an administrator's lock ends
/// (null: not locked; <c>9999-12-31T23:59:59.9999999+00:00</c>: until unlocked).
/// </summary>
/// <param name="Id">The user's id.</param>
/// <param name="Username">The name as the user typed it.</param>
/// <param name="CreatedAt">When the account was made.</param>
/// <param name="Roles">The roles an administrator gave it.</param>
/// <param name="DisabledAt">When it was disabled; null while enabled.</param>
/// <param name="LockedUntil">When its lock ends; null while not locked.</param>
public record AdminUserResponse(string Id, string Username, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles, DateTimeOffset? DisabledAt, DateTimeOffset? LockedUntil)
{
    /// <summary>The account as of <paramref name="now"/> (a lock that ended shows as null).</summary>
    public static AdminUserResponse From(UserRecord user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Username, user.CreatedAt, user.Roles, user.DisabledAt, LockOf(user, now));
    }

    /// <summary>The account's lock as the API shows it: null once it ended.</summary>
    protected static DateTimeOffset? LockOf(UserRecord user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.LockedUntil is { } until && until > now ? until : null;
    }
}

/// <summary>One account with the number of its active sessions (<c>GET /admin/users/{id}</c>).</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Username">The name as the user typed it.</param>
/// <param name="CreatedAt">When the account was made.</param>
/// <param name="Roles">The roles an administrator gave it.</param>
/// <param name="DisabledAt">When it was disabled; null while enabled.</param>
/// <param name="LockedUntil">When its lock ends; null while not locked.</param>
/// <param name="ActiveSessions">How many sessions of the user are active.</param>
public sealed record AdminUserDetailResponse(string Id, string Username, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles, DateTimeOffset? DisabledAt, DateTimeOffset? LockedUntil, int ActiveSessions)
    : AdminUserResponse(Id, Username, CreatedAt, Roles, DisabledAt, LockedUntil)
{
    /// <summary>The account as of <paramref name="now"/> with its active session count.</summary>
    public static AdminUserDetailResponse From(UserRecord user, DateTimeOffset now, int activeSessions)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Username, user.CreatedAt, user.Roles, user.DisabledAt, LockOf(user, now), activeSessions);
    }
}

/// <summary>One page of accounts; <c>next</c> is the <c>after</c> of the next page, null at the end.</summary>
/// <param name="Users">The accounts, in normalized-username order.</param>
/// <param name="Next">The cursor of the next page.</param>
public sealed record AdminUserListResponse(IReadOnlyList<AdminUserResponse> Users, string? Next);

/// <summary>
/// A user's active sessions, newest first: each as <c>GET /auth/sessions</c> shows it (device,
/// address, last seen, kind, created, expiry) with <c>clientId</c>, the OAuth client it was granted
/// to (null for a first-party sign-in). <c>current</c> marks the admin's own session.
/// </summary>
/// <param name="Sessions">The sessions.</param>
public sealed record AdminSessionListResponse(IReadOnlyList<SessionResponse> Sessions);

/// <summary>How many sessions an admin's "end all" ended.</summary>
/// <param name="Ended">The number of sessions that were active and are now ended.</param>
public sealed record AdminEndedResponse(int Ended);

/// <summary><c>{"until": "2030-01-01T00:00:00Z"}</c> locks until then; <c>{"until": null}</c> or no body locks until unlocked.</summary>
/// <param name="Until">An ISO 8601 date and time with an offset, in the future; null for "until unlocked".</param>
public sealed record AdminLockRequest(string? Until);
