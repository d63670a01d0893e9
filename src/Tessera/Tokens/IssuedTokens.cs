using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>An access token and the refresh token of its session. Never logged.</summary>
public sealed record IssuedTokens(string AccessToken, TimeSpan ExpiresIn, string RefreshToken, SessionRecord Session);
