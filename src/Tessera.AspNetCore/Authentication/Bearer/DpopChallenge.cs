using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Dpop;
using Tessera.Dpop;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// The <c>WWW-Authenticate</c> challenges of a resource that takes bearer and DPoP-bound tokens
/// (RFC 9449 §7.1, §7.2): one challenge per accepted scheme, the <c>DPoP</c> one with <c>algs</c>;
/// without a credential neither carries an error (Figure 17); with one, the error goes on the
/// challenge of the scheme the client used (Figure 18), on the <c>DPoP</c> challenge when that is
/// the only scheme accepted.
/// </summary>
internal static class DpopChallenge
{
    /// <summary>What a resource offers: which schemes, the <c>realm</c>, the <c>algs</c> of proofs.</summary>
    public readonly record struct Offer(string? Realm, bool Bearer, bool Dpop, string Algorithms);

    /// <summary>The challenges; <paramref name="error"/> null when no credential was presented.</summary>
    public static StringValues Format(Offer offer, TokenScheme? used, string? error, string? description, string? scope = null)
    {
        bool errorOnDpop = error is not null && (used == TokenScheme.Dpop || !offer.Bearer);
        bool errorOnBearer = error is not null && !errorOnDpop;
        string? bearer = offer.Bearer || errorOnBearer
            ? errorOnBearer
                ? BearerChallenge.Format(offer.Realm, ("error", error), ("error_description", description), ("scope", scope))
                : BearerChallenge.Format(offer.Realm)
            : null;
        string? dpop = offer.Dpop || errorOnDpop
            ? errorOnDpop
                ? BearerChallenge.FormatScheme(CredentialReader.DpopScheme, offer.Realm, ("error", error), ("error_description", description), ("scope", scope), ("algs", offer.Algorithms))
                : BearerChallenge.FormatScheme(CredentialReader.DpopScheme, offer.Realm, ("algs", offer.Algorithms))
            : null;
        return (bearer, dpop) switch
        {
            (not null, not null) => new StringValues([bearer, dpop]),
            (not null, null) => bearer,
            _ => dpop,
        };
    }

    /// <summary>
    /// Writes the challenges, and for <c>use_dpop_nonce</c> a fresh nonce in <c>DPoP-Nonce</c> (RFC 9449 §9).
    /// <c>WWW-Authenticate</c> is exposed to cross-origin callers, which otherwise cannot read it (§7.1).
    /// </summary>
    public static void Write(HttpResponse response, Offer offer, TokenScheme? used, string? error, string? description, IDpopNonces? nonces, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[HeaderNames.WWWAuthenticate] = Format(offer, used, error, description, scope);
        if (offer.Dpop)
        {
            response.Headers.AccessControlExposeHeaders = StringValues.Concat(response.Headers.AccessControlExposeHeaders, HeaderNames.WWWAuthenticate);
        }

        if (error == DpopErrorCodes.UseNonce && nonces is not null)
        {
            DpopHttp.SetNonce(response, nonces);
        }
    }
}
