using Tessera.Jose.Jwt;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>An access token that passed every check, with the live session its <c>sid</c> names.</summary>
public sealed record ValidatedAccessToken(SessionRecord Session, JwtClaims Claims);
