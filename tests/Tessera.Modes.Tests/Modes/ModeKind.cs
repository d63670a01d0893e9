namespace Tessera.Modes.Tests.Modes;

/// <summary>The three ways to hold a sign-in (docs/server.md).</summary>
public enum ModeKind
{
    /// <summary><c>POST /auth/session</c>: an HttpOnly <c>__Host-</c> session cookie.</summary>
    SessionCookie,

    /// <summary><c>POST /auth/token</c>: the access token in <c>Authorization: Bearer</c>, the refresh token in the JSON body.</summary>
    TokensInPage,

    /// <summary><c>POST /auth/token?delivery=cookie</c>: both tokens in HttpOnly cookies.</summary>
    TokensInCookies,
}
