namespace Tessera.Modes.Tests.Modes;

/// <summary>
/// What a client holds after signing in, whatever the mode: the session's public id, the value it
/// presents on every call (session cookie, access token, or access-token cookie) and, in the
/// token modes, the refresh token (in the body or in its cookie).
/// </summary>
public sealed record Credential(string SessionId, string Presented, string? RefreshToken);
