namespace Tessera.Sessions;

/// <summary>What the client of a session holds, as stored in <see cref="SessionRecord.Kind"/>.</summary>
public static class SessionKinds
{
    /// <summary>An opaque secret in a cookie (session mode).</summary>
    public const string Cookie = "cookie";

    /// <summary>A refresh token (token mode); access tokens name the session in their <c>sid</c>.</summary>
    public const string Token = "token";
}
