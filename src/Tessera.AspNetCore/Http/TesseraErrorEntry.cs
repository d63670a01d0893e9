namespace Tessera.AspNetCore.Http;

/// <summary>
/// How one stable code answers over HTTP. Every code answers as RFC 9457 problem+json with
/// <see cref="Status"/> and the code in its <c>error</c> member; the two protocol shapes are extra:
/// </summary>
/// <param name="Code">The stable code, as defined once in its catalog class.</param>
/// <param name="Status">The HTTP status of the problem+json answer (and of the bearer challenge).</param>
/// <param name="OAuthError">
/// The RFC 6749 §5.2 <c>error</c> this code becomes on the <c>/oauth2</c> endpoints (the code itself
/// travels beside it as <c>tessera_error</c>); null: the code is not answered there.
/// </param>
/// <param name="ChallengeError">
/// The RFC 6750 §3.1 <c>error</c> attribute of the <c>WWW-Authenticate: Bearer</c> challenge on a
/// protected API; null: a bare challenge (no credentials, §3.1) or none (the server failed, 503).
/// </param>
public sealed record TesseraErrorEntry(string Code, int Status, string? OAuthError = null, string? ChallengeError = null)
{
    /// <summary>RFC 6749 §5.2: 400, except 401 for a client that failed to authenticate.</summary>
    public int OAuthStatus => OAuthError == OAuthErrorCodes.InvalidClient ? 401 : 400;

    /// <summary>The server could not check the credential (a store, keys or introspection did not answer): retry, do not re-authenticate.</summary>
    public bool IsServerSide => Status == 503;
}
