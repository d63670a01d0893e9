using Tessera.Jose.Jwt;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>An access token that passed every check, with the live session its <c>sid</c> names.</summary>
public sealed record ValidatedAccessToken(SessionRecord Session, JwtClaims Claims)
{
    /// <summary>Set when the request broke the session's binding and the policy is to flag it, not end it.</summary>
    public bool BindingMismatch { get; init; }

    /// <summary>
    /// Set when the verified-token cache answered the signature and claims check: <see cref="Claims"/> is
    /// then the instance the cache holds, the same on every later request for this token.
    /// </summary>
    public bool FromCache { get; init; }

    /// <summary>The token's own <c>scope</c> claim (RFC 9068 §2.2.3, space-separated); null when it has none.</summary>
    public string? Scope => Claims.TryGetString("scope", out string? scope) ? scope : null;
}
