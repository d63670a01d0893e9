namespace Tessera.AspNetCore.Admin;

/// <summary>The signing keys of the ring, oldest first (never a private half, never the refresh secret).</summary>
/// <param name="Keys">The keys.</param>
public sealed record AdminKeyListResponse(IReadOnlyList<AdminKeyResponse> Keys);

/// <summary>
/// One signing key. <c>state</c>: <c>current</c> signs its algorithm's tokens now; <c>next</c> is
/// published and starts signing at <c>activatesAt</c>; <c>retiring</c> no longer signs but stays in
/// the JWKS until the tokens it signed expired; <c>retired</c> has left the JWKS.
/// </summary>
/// <param name="Kid">The key id (its RFC 7638 thumbprint), as tokens' <c>kid</c> name it.</param>
/// <param name="Alg">The JWS algorithm.</param>
/// <param name="State"><c>current</c>, <c>next</c>, <c>retiring</c> or <c>retired</c>.</param>
/// <param name="CreatedAt">When the key was made (and published).</param>
/// <param name="ActivatesAt">When it starts (or started) signing.</param>
/// <param name="RetiredAt">When it was retired by hand (<c>tessera key retire</c>); null otherwise.</param>
/// <param name="Published">Whether the JWKS publishes it now.</param>
public sealed record AdminKeyResponse(string Kid, string Alg, string State, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset? RetiredAt, bool Published);

/// <summary>
/// <c>POST /admin/keys/rotate</c>: <c>alg</c> is one of the server's signing algorithms (default: the
/// access-token one); <c>immediately</c> signs with the new key at once instead of after the
/// publication lead (Tessera:Tokens:KeyPublicationLead), which lets JWKS caches catch up first.
/// </summary>
/// <param name="Alg">The algorithm of the new key.</param>
/// <param name="Immediately">Sign with it at once.</param>
public sealed record AdminKeyRotateRequest(string? Alg, bool? Immediately);

/// <summary>The key states <see cref="AdminKeyResponse.State"/> names.</summary>
public static class AdminKeyStates
{
    /// <summary>Signs its algorithm's tokens now.</summary>
    public const string Current = "current";

    /// <summary>Published, signing from its activation on.</summary>
    public const string Next = "next";

    /// <summary>No longer signs; published until its tokens expired.</summary>
    public const string Retiring = "retiring";

    /// <summary>Left the JWKS.</summary>
    public const string Retired = "retired";
}
