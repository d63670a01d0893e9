namespace Tessera.OAuth.IdTokens;

/// <summary>
/// What a verified <c>id_token_hint</c> says (OpenID Connect RP-Initiated Logout 1.0 §2): whose
/// session the client wants ended, which session, and which client is asking.
/// </summary>
/// <param name="Subject">The <c>sub</c>: the user the ID token was issued for.</param>
/// <param name="SessionId">The <c>sid</c>: the session's handle; null when the token carried none.</param>
/// <param name="ClientId">The client it was issued to: <c>azp</c>, else its one <c>aud</c>.</param>
/// <param name="IssuedAt">The <c>iat</c>.</param>
/// <param name="ExpiresAt">The <c>exp</c>, possibly past: an expired hint is still accepted.</param>
public sealed record IdTokenHint(string Subject, string? SessionId, string ClientId, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt);
