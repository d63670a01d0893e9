using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Endpoints;

/// <summary><c>{"username","password"}</c>, for registration and sign-in.</summary>
public sealed record CredentialsRequest(string? Username, string? Password)
{
    // Records print their members; a password must never reach a log through ToString.
    public override string ToString() => $"CredentialsRequest {{ Username = {Username} }}";
}

/// <summary><c>{"value"}</c>, for PUT on a session attribute.</summary>
public sealed record AttributeValueRequest(string? Value);

public sealed record UserResponse(string Id, string Username, DateTimeOffset CreatedAt)
{
    public static UserResponse From(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Username, user.CreatedAt);
    }
}

/// <summary>A session as its owner sees it: the public handle as <c>id</c>, never the secret.</summary>
public sealed record SessionResponse(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    string? Ip,
    string? UserAgent,
    bool Current,
    bool Flagged,
    string Kind)
{
    public static SessionResponse From(SessionRecord session, string? currentHandle)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new(session.Handle, session.CreatedAt, session.LastSeenAt, session.IdleExpiresAt, session.AbsoluteExpiresAt,
            session.ClientIp, session.UserAgent, string.Equals(session.Handle, currentHandle, StringComparison.Ordinal), session.FlaggedAt is not null, session.Kind);
    }
}

public sealed record SignedInResponse(UserResponse User, SessionResponse Session);

public sealed record SessionListResponse(IReadOnlyList<SessionResponse> Sessions);

public sealed record AttributeResponse(string Key, string Value);

public sealed record AttributesResponse(IReadOnlyDictionary<string, string> Attributes);

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword)
{
    // Records print their members; passwords must never reach a log through ToString.
    public override string ToString() => "PasswordChangeRequest";
}
