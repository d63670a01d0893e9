namespace Tessera.Tokens;

/// <summary>
/// What a refresh request (RFC 6749 §6) says besides the token: the client that asks — the registered
/// client it authenticated as, null on the first-party path — and the scope it asks for (null: the
/// whole grant). A session granted to a client refreshes only for that client; a first-party
/// session only without one; the scope may narrow the grant, never widen it.
/// </summary>
public sealed record RefreshRequest(string? ClientId = null, IReadOnlyList<string>? Scope = null)
{
    /// <summary>
    /// The RFC 7638 thumbprint of the key of the valid DPoP proof sent with the request (RFC 9449 §5);
    /// null when none was sent.
    /// </summary>
    public string? DpopKeyThumbprint { get; init; }

    /// <summary>
    /// Whether the refresh token is bound to the session's DPoP key: true for Tessera's own sessions and
    /// public clients, false for a confidential client, whose refresh token is already
    /// sender-constrained by its client authentication (RFC 9449 §5); its access tokens are then bound
    /// to whatever key the request proves.
    /// </summary>
    public bool RefreshTokenBound { get; init; } = true;

    /// <summary>
    /// Records the DPoP proof's <c>jti</c> (RFC 9449 §11.1): called once the refresh token is found live
    /// (or retired) and this client's, before it rotates or reuse detection answers, so a request with a
    /// bad token takes no single-use mark. A non-null error (a replayed proof) refuses the request.
    /// Null when the request carried no proof.
    /// </summary>
    public Func<CancellationToken, ValueTask<TesseraError?>>? UseProof { get; init; }

    /// <summary>Tessera's own refresh (<c>/auth/token/refresh</c>, or <c>/oauth2/token</c> without client authentication).</summary>
    public static RefreshRequest FirstParty { get; } = new();
}
