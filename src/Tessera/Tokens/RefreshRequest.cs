namespace Tessera.Tokens;

/// <summary>
/// What a refresh request (RFC 6749 §6) says besides the token: the client that asks — the registered
/// client it authenticated as, null on the first-party path — and the scope it asks for (null: the
/// whole grant). A session granted to a client refreshes only for that client; a first-party
/// session only without one; the scope may narrow the grant, never widen it.
/// </summary>
public sealed record RefreshRequest(string? ClientId = null, IReadOnlyList<string>? Scope = null)
{
    /// <summary>Tessera's own refresh (<c>/auth/token/refresh</c>, or <c>/oauth2/token</c> without client authentication).</summary>
    public static RefreshRequest FirstParty { get; } = new();
}
