using Tessera.Jose.Jwt;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// An access token introspection found valid (RFC 7662): its claims, and the active session its
/// <c>sid</c> names — null for a client's own token (client_credentials), which names none.
/// </summary>
public sealed record InspectedAccessToken(JwtClaims Claims, SessionRecord? Session)
{
    /// <summary>The token's own <c>scope</c> claim (RFC 9068 §2.2.3); null when it has none.</summary>
    public string? Scope => Claims.TryGetString("scope", out string? scope) ? scope : null;

    /// <summary>The token's own <c>client_id</c> claim (RFC 9068 §2.2).</summary>
    public string? ClientId => Claims.TryGetString("client_id", out string? clientId) ? clientId : null;
}
