namespace Tessera.Dpop;

/// <summary>
/// What a DPoP proof is checked against: the proof (the one <c>DPoP</c> header's value), the request's
/// method and URI as this server received it, and the access token when the request presents one
/// (then the proof must carry its hash in <c>ath</c>, RFC 9449 §4.3 step 12).
/// </summary>
/// <param name="Proof">The compact JWS from the <c>DPoP</c> header.</param>
/// <param name="Method">The HTTP method of the request (<c>htm</c>).</param>
/// <param name="Uri">The request URI as the server sees it; query and fragment are ignored (<c>htu</c>).</param>
/// <param name="AccessToken">The access token presented with the proof (resource requests); null at the token endpoint.</param>
public sealed record DpopProofRequest(string Proof, string Method, Uri Uri, string? AccessToken = null)
{
    /// <summary>Only the request's shape: the proof is a credential and never printed.</summary>
    public override string ToString() => $"DpopProofRequest {{ Method = {Method}, Uri = {Uri.GetLeftPart(UriPartial.Path)} }}";
}
