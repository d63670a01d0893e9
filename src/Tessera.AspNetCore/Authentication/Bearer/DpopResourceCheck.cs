using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Dpop;
using Tessera.Dpop;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>How the request presented its access token (RFC 6750 §2.1 or RFC 9449 §7.1).</summary>
internal enum TokenScheme
{
    /// <summary><c>Authorization: Bearer</c>, the access-token cookie, or an event's own source.</summary>
    Bearer,

    /// <summary><c>Authorization: DPoP</c>: the token must be DPoP-bound and come with a proof.</summary>
    Dpop,
}

/// <summary>An access token as read from a request, with the scheme it came under.</summary>
internal readonly record struct PresentedToken(TokenScheme Scheme, BearerCredential Credential)
{
    /// <summary>
    /// The <c>Authorization: DPoP</c> token when <paramref name="acceptDpop"/> and the header names that
    /// scheme (well formed or not), else the bearer token of the header or of the
    /// <paramref name="cookieName"/> cookie (<see cref="CredentialReader.ReadAccessToken(HttpRequest, string?)"/>; null: the
    /// header only). One header names one scheme; a request repeating the header is refused by either
    /// reader (RFC 6750 §3.1, RFC 9449 §7.2 Figure 19). A header token equal to one
    /// <paramref name="texts"/> holds is that cache's own string, not a copy (<see cref="VerifiedTokenCache.TextOf"/>).
    /// </summary>
    public static PresentedToken Read(HttpRequest request, bool acceptDpop, string? cookieName, VerifiedTokenCache? texts = null)
    {
        if (acceptDpop)
        {
            BearerCredential dpop = CredentialReader.ReadDpop(request.Headers.Authorization, texts);
            if (dpop.Presence != CredentialPresence.Absent)
            {
                return new PresentedToken(TokenScheme.Dpop, dpop);
            }
        }

        return new PresentedToken(TokenScheme.Bearer, CredentialReader.ReadAccessToken(request, cookieName, texts));
    }
}

/// <summary>
/// Why a DPoP check refused a request: <see cref="Code"/> is the RFC 9449 §7.1 challenge error
/// (<c>invalid_token</c> for the token's binding, <c>invalid_dpop_proof</c> for the proof itself,
/// <c>use_dpop_nonce</c> when only a current nonce is missing).
/// </summary>
internal sealed record DpopRefusal(string Code, string Message)
{
    /// <summary>True for the codes RFC 9449 adds (§7.1, §9), which the challenge names as they are.</summary>
    public static bool IsProofCode(string? code) => code is DpopErrorCodes.InvalidProof or DpopErrorCodes.UseNonce;
}

/// <summary>What the DPoP check found: the verified proof of a bound token, nothing (a plain bearer token), or a refusal.</summary>
internal readonly record struct DpopCheck(DpopProof? Proof, DpopRefusal? Refusal)
{
    /// <summary>A plain bearer token, accepted: no proof, no refusal.</summary>
    public static DpopCheck Unbound => default;
}

/// <summary>
/// The resource side of RFC 9449, shared by both bearer handlers and userinfo. It runs after the
/// token's signature and claims were accepted (from <see cref="VerifiedTokenCache"/> or not) and on
/// every request, because what it checks is not the token but this request:
/// <list type="bullet">
/// <item>a token bound by <c>cnf.jkt</c> (RFC 9449 §6.1) presented as a bearer token is refused
/// (§7.2: no downgrade); so is a token bound by a confirmation method this server cannot check;</item>
/// <item>under the <c>DPoP</c> scheme the token must be bound (§7.1: the scheme is for DPoP-bound
/// tokens; an unbound one goes as <c>Bearer</c>), exactly one proof must come in the <c>DPoP</c>
/// header and pass every check of §4.3 against this request's method and URI with the token's hash in
/// <c>ath</c> (step 12), its <c>jti</c> unseen (the shared replay cache), and its key's thumbprint
/// must equal <c>cnf.jkt</c> (§7.1, §6.1);</item>
/// <item>when the resource requires DPoP, a plain bearer token is refused outright.</item>
/// </list>
/// Why a cached token verification is still safe: the cache answers only "this exact token text was
/// signed by a key we trust and its claims are valid now". The proof is a different object, new on
/// every request (its <c>jti</c> is single-use, its <c>iat</c> recent, its <c>ath</c> names this
/// token), so it is never cached: a stolen bound token whose verification is cached still fails here
/// without a fresh proof made with the private key.
/// </summary>
internal static class DpopResourceCheck
{
    /// <summary>The token's <c>cnf.jkt</c>: null when the token has no <c>cnf</c>; <paramref name="unsupported"/> when its <c>cnf</c> binds by another method.</summary>
    /// <remarks>
    /// Read from <see cref="JwtClaims.Confirmation"/>, which the claims work out once (RFC 7800 §3.1,
    /// RFC 9449 §6.1): a token from the verified-token cache answers without its JSON being searched again.
    /// </remarks>
    public static string? BoundThumbprint(JwtClaims claims, out bool unsupported)
    {
        ArgumentNullException.ThrowIfNull(claims);
        JwtConfirmation confirmation = claims.Confirmation;

        // Bound to something else (x5t#S256 of RFC 8705, a key we do not know): accepting it as a
        // bearer token would drop a binding its issuer asked for.
        unsupported = confirmation.Kind == JwtConfirmationKind.Unsupported;
        return confirmation.KeyThumbprint;
    }

    /// <summary>Checks <paramref name="token"/> as presented under <paramref name="scheme"/> on <paramref name="request"/>; see the class summary.</summary>
    /// <remarks>Synchronous except for a proof's own verification (its jti goes to the replay cache): a plain bearer token, on every request, starts no state machine.</remarks>
    public static ValueTask<DpopCheck> CheckAsync(
        HttpRequest request, TokenScheme scheme, string token, JwtClaims claims, DpopProofValidator? validator, bool requireDpop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(token);
        string? bound = BoundThumbprint(claims, out bool unsupported);
        if (unsupported)
        {
            return new(Refuse(TesseraErrorCodes.InvalidToken, "The access token is bound by a confirmation method (cnf) this resource cannot check."));
        }

        if (scheme == TokenScheme.Bearer)
        {
            if (bound is not null)
            {
                // RFC 9449 §7.2: a protected resource supporting both schemes MUST reject a DPoP-bound token sent as a bearer token.
                return new(Refuse(TesseraErrorCodes.InvalidToken, "The access token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof (RFC 9449 section 7.2)."));
            }

            return new(requireDpop
                ? Refuse(TesseraErrorCodes.InvalidToken, "This resource accepts only DPoP-bound access tokens (RFC 9449).")
                : DpopCheck.Unbound);
        }

        if (bound is null)
        {
            // RFC 9449 §7.1: the DPoP scheme carries a DPoP-bound token; an unbound one proves nothing with a proof.
            return new(Refuse(TesseraErrorCodes.InvalidToken, "The access token is not DPoP-bound: send it as Authorization: Bearer."));
        }

        if (validator is null)
        {
            // Only reachable when the DPoP scheme is read but no validator was built (misconfiguration): refuse, never accept unchecked.
            return new(Refuse(DpopErrorCodes.InvalidProof, "DPoP proofs cannot be checked here."));
        }

        DpopHeader header = DpopHttp.ReadProof(request);
        if (header.Error is { } headerError)
        {
            return new(Refuse(DpopErrorCodes.InvalidProof, headerError));
        }

        if (header.Proof is not { } proof)
        {
            // RFC 9449 §7.1: the resource server MUST check that a proof was received in the DPoP header.
            return new(Refuse(DpopErrorCodes.InvalidProof, "A DPoP-bound access token needs a DPoP proof in the DPoP header."));
        }

        if (request.HttpContext.Features.Get<VerifiedProof>() is { } earlier && earlier.Matches(proof, token))
        {
            // This very request's proof was already checked (the default scheme authenticated it before an
            // endpoint or another scheme asked again): single use means once per request, not once per reader.
            return new(Binding(earlier.Proof, bound));
        }

        return VerifyProofAsync(request, proof, token, bound, validator, cancellationToken);
    }

    private static async ValueTask<DpopCheck> VerifyProofAsync(
        HttpRequest request, string proof, string token, string bound, DpopProofValidator validator, CancellationToken cancellationToken)
    {
        Outcome<DpopProof> verified = await validator.ValidateAsync(DpopHttp.ProofRequest(request, proof, token), cancellationToken).ConfigureAwait(false);
        if (!verified.Succeeded)
        {
            return Refuse(verified.Error!.Code, verified.Error.Message);
        }

        DpopProof checkedProof = verified.Value!;
        request.HttpContext.Features.Set(new VerifiedProof(proof, token, checkedProof));
        return Binding(checkedProof, bound);
    }

    // RFC 9449 §7.1 and §6.1: the proof's key must be the one the token is bound to. Thumbprints are public; an ordinal comparison leaks nothing.
    private static DpopCheck Binding(DpopProof checkedProof, string bound) =>
        string.Equals(checkedProof.KeyThumbprint, bound, StringComparison.Ordinal)
            ? new DpopCheck(checkedProof, null)
            : Refuse(TesseraErrorCodes.InvalidToken, "Invalid DPoP key binding: the proof's key is not the one the access token is bound to.");

    /// <summary>A proof that passed §4.3 for this request with this token (its jti now spent), kept on the request for later readers of the same request.</summary>
    private sealed record VerifiedProof(string ProofText, string AccessToken, DpopProof Proof)
    {
        public bool Matches(string proof, string token) =>
            string.Equals(ProofText, proof, StringComparison.Ordinal) && string.Equals(AccessToken, token, StringComparison.Ordinal);

        /// <summary>Never prints the token or the proof.</summary>
        public override string ToString() => $"VerifiedProof {{ Key = {Proof.KeyThumbprint} }}";
    }

    private static DpopCheck Refuse(string code, string message) => new(null, new DpopRefusal(code, message));
}
