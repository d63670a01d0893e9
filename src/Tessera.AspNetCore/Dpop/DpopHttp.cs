using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Tessera.Dpop;

namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// The HTTP side of DPoP shared by the token endpoints and the resource handlers: the one <c>DPoP</c>
/// header (RFC 9449 §4.3 step 1: more than one is refused), the URI the proof must name (the request
/// as this server sees it after forwarded headers, without query, §4.3 step 9) and the
/// <c>DPoP-Nonce</c> response header (§8.1).
/// </summary>
public static class DpopHttp
{
    /// <summary>What the request carries in <c>DPoP</c>: nothing, one proof, or a refusal (several headers, or an empty one).</summary>
    public static DpopHeader ReadProof(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Microsoft.Extensions.Primitives.StringValues values = request.Headers[DpopTokenTypes.ProofHeader];
        if (values.Count == 0)
        {
            return new DpopHeader(null, null);
        }

        if (values.Count > 1 || string.IsNullOrWhiteSpace(values[0]) || values[0]!.Contains(',', StringComparison.Ordinal))
        {
            return new DpopHeader(null, "the request must carry exactly one DPoP header with one proof");
        }

        return new DpopHeader(values[0]!.Trim(), null);
    }

    /// <summary>The request's URI for <c>htu</c>: scheme, host, path base and path, no query.</summary>
    public static Uri TargetUri(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // HTTP/1.0 without Host, or an empty Host (Kestrel takes both): no absolute URI exists, so no
        // htu can name this request and its proof is refused as an htu mismatch, never a 500.
        return request.Host.HasValue && Uri.TryCreate(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path), UriKind.Absolute, out Uri? uri)
            ? uri
            : NoTarget;
    }

    // Not http(s): DpopTargetUri.Matches never pairs it with a proof's htu.
    private static readonly Uri NoTarget = new("urn:tessera:dpop:no-target-uri");

    /// <summary>The <see cref="DpopProofRequest"/> for <paramref name="proof"/> on <paramref name="request"/>, with the presented access token when there is one.</summary>
    public static DpopProofRequest ProofRequest(HttpRequest request, string proof, string? accessToken = null) =>
        new(proof, request.Method, TargetUri(request), accessToken);

    /// <summary>Sends a fresh nonce in <c>DPoP-Nonce</c> (RFC 9449 §8.1) and exposes it to cross-origin callers.</summary>
    public static void SetNonce(HttpResponse response, IDpopNonces nonces)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(nonces);
        response.Headers[DpopTokenTypes.NonceHeader] = nonces.Current();
        response.Headers.AccessControlExposeHeaders = Microsoft.Extensions.Primitives.StringValues.Concat(response.Headers.AccessControlExposeHeaders, DpopTokenTypes.NonceHeader);
    }
}

/// <summary>The <c>DPoP</c> header of a request: <see cref="Proof"/> when there is exactly one, <see cref="Error"/> when it is malformed, neither when absent.</summary>
/// <param name="Proof">The proof; null when absent or refused.</param>
/// <param name="Error">Why the header is refused; null when absent or usable.</param>
public readonly record struct DpopHeader(string? Proof, string? Error);
