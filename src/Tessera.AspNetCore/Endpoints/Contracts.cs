using System.Text.Json;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// <c>{"username","password"}</c>, for registration and sign-in. <c>"rememberMe": true</c> asks a
/// cookie sign-in for a persistent cookie (honoured only where the host enabled it).
/// </summary>
public sealed record CredentialsRequest(string? Username, string? Password, bool? RememberMe = null)
{
    // Records print their members; a password must never reach a log through ToString.
    /// <summary>Names the user only: the password is never printed.</summary>
    public override string ToString() => $"CredentialsRequest {{ Username = {Username} }}";
}

/// <summary>
/// <c>{"value"}</c>, for PUT on a session attribute: a string, as always, or any other JSON value
/// (object, array, number, boolean, null). A missing <c>value</c> is <see cref="JsonValueKind.Undefined"/>.
/// </summary>
public sealed record AttributeValueRequest(JsonElement Value);

/// <summary>
/// A user as they see themselves. <c>roles</c> lets a first-party page decide what to show (the
/// console's admin view); it grants nothing, since every admin call reads the roles from the store again.
/// </summary>
/// <param name="Id">The user's id.</param>
/// <param name="Username">The user's name as registered.</param>
/// <param name="CreatedAt">When the account was created.</param>
/// <param name="Roles">The roles an administrator gave the user.</param>
/// <param name="HasPassword">False for a passwordless account (passkeys only, #16).</param>
public sealed record UserResponse(string Id, string Username, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles, bool HasPassword = true)
{
    /// <summary>The public view of <paramref name="user"/> (never its password hash).</summary>
    public static UserResponse From(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Username, user.CreatedAt, user.Roles, user.HasPassword);
    }
}

/// <summary>
/// A session as its owner sees it: the public handle as <c>id</c>, never the secret. <c>device</c>
/// names the browser and system read from <c>userAgent</c> ("Firefox on Windows"), null when unknown.
/// <c>clientId</c> names the OAuth client a sign-in through the provider was for (the session's
/// grant), null for a first-party sign-in.
/// </summary>
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
    string Kind,
    string? Device,
    string? ClientId = null,
    string Method = "password",
    IReadOnlyList<string>? Amr = null)
{
    /// <summary>The public view of <paramref name="session"/>, <c>current</c> when its handle is <paramref name="currentHandle"/>.</summary>
    public static SessionResponse From(SessionRecord session, string? currentHandle)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new(session.Handle, session.CreatedAt, session.LastSeenAt, session.IdleExpiresAt, session.AbsoluteExpiresAt,
            session.ClientIp, session.UserAgent, string.Equals(session.Handle, currentHandle, StringComparison.Ordinal), session.FlaggedAt is not null, session.Kind,
            DeviceNames.Describe(session.UserAgent), session.ClientId,
            // #16: how the user signed in (RFC 8176 amr; a record without any is a password sign-in).
            Tessera.AspNetCore.Passkeys.PasswordlessRules.IsPasskey(session.AuthenticationMethods) ? "passkey" : "password",
            AuthenticationMethodValues.Split(session.AuthenticationMethods));
    }
}

/// <summary>The answer to a sign-in: who, and the new session.</summary>
/// <param name="User">The signed-in user.</param>
/// <param name="Session">The session the sign-in created.</param>
public sealed record SignedInResponse(UserResponse User, SessionResponse Session);

/// <summary>The user's active sessions.</summary>
/// <param name="Sessions">The sessions, the current one marked.</param>
public sealed record SessionListResponse(IReadOnlyList<SessionResponse> Sessions);

/// <summary>One attribute; <c>value</c> is the JSON value as written (a string stays a string).</summary>
public sealed record AttributeResponse(string Key, JsonElement Value);

/// <summary>Every attribute of the session.</summary>
/// <param name="Attributes">The attributes by key, each value the JSON as written.</param>
public sealed record AttributesResponse(IReadOnlyDictionary<string, JsonElement> Attributes);

/// <summary>A password change: the current password again, and the new one.</summary>
/// <param name="CurrentPassword">The password now, to prove it is the user.</param>
/// <param name="NewPassword">The new password, checked against the password rules.</param>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword)
{
    // Records print their members; passwords must never reach a log through ToString.
    /// <summary>No member: both are passwords, never printed.</summary>
    public override string ToString() => "PasswordChangeRequest";
}
