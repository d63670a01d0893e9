namespace Tessera.OAuth;

/// <summary>
/// One authorization code (RFC 6749 §4.1.2) as stored: only its SHA-256, what the token request must
/// match (client, redirect URI, PKCE challenge), and what the tokens will say (user, scope, nonce,
/// when the user authenticated, the browser session that approved it). One use only; a second
/// redemption revokes the session the first one created (RFC 6749 §4.1.2, RFC 9700 §4.5).
/// </summary>
public sealed record AuthorizationCode
{
    /// <summary>The layout version written by this build; a record of a newer one is refused rather than misread.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>SHA-256 of the code the client holds.</summary>
    public required ReadOnlyMemory<byte> CodeHash { get; init; }

    /// <summary>The client the code was issued to; only it may redeem the code.</summary>
    public required string ClientId { get; init; }

    /// <summary>The user who approved the request.</summary>
    public required string UserId { get; init; }

    /// <summary>The redirect URI of the authorization request; the token request must send the same (RFC 6749 §4.1.3).</summary>
    public required string RedirectUri { get; init; }

    /// <summary>The granted scope, space-separated.</summary>
    public required string Scope { get; init; }

    /// <summary>The PKCE S256 challenge (RFC 7636 §4.2), base64url of SHA-256 of the verifier.</summary>
    public required string CodeChallenge { get; init; }

    /// <summary>The OIDC <c>nonce</c> to copy into the ID token; null when none was sent.</summary>
    public string? Nonce { get; init; }

    /// <summary>When the user last authenticated (OIDC <c>auth_time</c>).</summary>
    public required DateTimeOffset AuthenticatedAt { get; init; }

    /// <summary>The browser (cookie) session at Tessera that approved the request, if any.</summary>
    public string? BrowserSessionHandle { get; init; }

    /// <summary>When the code was issued; it expires soon after.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Codes live about a minute (RFC 6749 §4.1.2 recommends at most ten).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When it was exchanged; null while unused.</summary>
    public DateTimeOffset? RedeemedAt { get; init; }

    /// <summary>The session the redemption created (its tokens carry this <c>sid</c>).</summary>
    public string? IssuedSessionHandle { get; init; }

    /// <summary>
    /// The RFC 7638 thumbprint of the DPoP key the code is bound to (RFC 9449 §10: the
    /// <c>dpop_jkt</c> authorization request parameter); the token request must then prove that key.
    /// Null when the request named none.
    /// </summary>
    public string? DpopKeyThumbprint { get; init; }

    /// <summary>The record's layout version (<see cref="CurrentFormatVersion"/> when written by this build).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;
}
