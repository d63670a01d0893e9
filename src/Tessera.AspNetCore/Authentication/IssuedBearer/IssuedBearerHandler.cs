using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Tokens;
using Tessera.Dpop;
using Tessera.Jose;
using Tessera.Jose.Jwt;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// The server's own bearer: authenticates a request by an access token this server issued (RFC 6750
/// §2.1 header, or the access-token cookie of cookie delivery, both read by
/// <see cref="CredentialReader"/>): signature against the server's own key ring, claims, then the
/// session named by <c>sid</c>, so a signed-out session's access tokens stop at once. A refusal is
/// 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 §3.1), the JOSE cause
/// in its <c>error_description</c> and in the problem+json <c>reason</c>. A DPoP-bound token (RFC 9449)
/// is accepted as <c>Authorization: DPoP</c> with a valid proof for this request and refused as a
/// bearer token or cookie (§7.1, §7.2); see <see cref="DpopResourceCheck"/>. (APIs elsewhere validate
/// Tessera's tokens with the resource-server bearer, <see cref="TesseraBearerHandler"/>.)
/// </summary>
public sealed class IssuedBearerHandler(
    IOptionsMonitor<IssuedBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenService tokens,
    IProblemDetailsService problems,
    DpopProofValidator dpop,
    IDpopNonces nonces)
    : TesseraAuthenticationHandler<IssuedBearerOptions>(options, loggerFactory, encoder, problems)
{
    /// <summary>The realm of the server's own bearer challenges (RFC 6750 §3).</summary>
    internal const string Realm = "Tessera";

    private readonly ILogger _log = HandlerLoggers.For(loggerFactory, IssuedBearerLog.Category);
    private readonly ILogger _dpopLog = HandlerLoggers.For(loggerFactory, DpopResourceLog.Category);

    // The scheme the token came under (RFC 9449 §7.2: the challenge's error goes on that scheme); it also
    // rides in a refusal's properties, for a challenge answered by another handler from the recorded result.
    private const string SchemeItem = "tessera.issued.scheme";
    private TokenScheme? _scheme;

    private new IssuedBearerEvents Events => (IssuedBearerEvents)base.Events!;

    /// <inheritdoc />
    protected override string ForbiddenDetail => "This token may not do that.";

    /// <inheritdoc />
    protected override string EventRefusalCode => TesseraErrorCodes.InvalidToken;

    /// <summary>
    /// The token of the request: the Authorization header's Bearer credentials, else the access-token
    /// cookie (see <see cref="CredentialReader.ReadAccessToken(HttpRequest, string?)"/>). Null: none; empty: one was sent malformed.
    /// </summary>
    public static string? ReadToken(HttpRequest request, string? cookieName)
    {
        BearerCredential credential = CredentialReader.ReadAccessToken(request, cookieName);
        return credential.Presence switch
        {
            CredentialPresence.Present => credential.Token,
            CredentialPresence.Malformed => "",
            _ => null,
        };
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> AuthenticateCredentialAsync()
    {
        // Authorization: DPoP (RFC 9449 §7.1) first; else Bearer or the access-token cookie, where a bound token is refused (§7.2).
        PresentedToken presented = PresentedToken.Read(Request, Options.AcceptDpop, Options.AccessTokenCookieName);
        BearerCredential credential = presented.Credential;
        if (credential.Presence == CredentialPresence.Absent)
        {
            return AuthenticateResult.NoResult();
        }

        _scheme = presented.Scheme;
        if (credential.Token is not { } token)
        {
            return await RejectAsync(new TesseraError(TesseraErrorCodes.InvalidToken, credential.Problem!) { Reason = JoseErrorCodes.Malformed }).ConfigureAwait(false);
        }

        // RFC 9449 §7.1, §7.2 on every request, after the token (whose verification may be cached) and
        // before its session is read: a request without the key must not touch the session nor set off
        // its binding policy from a thief's address. See DpopResourceCheck.
        DpopCheck bound = default;
        Outcome<ValidatedAccessToken> validation = await tokens.ValidateAccessTokenAsync(token, ClientInfo.From(Context), TokenIssuer.For(Request, tokens.Options), async claims =>
        {
            bound = await DpopResourceCheck.CheckAsync(Request, presented.Scheme, token, claims, dpop, Options.RequireDpop, Context.RequestAborted).ConfigureAwait(false);
            return bound.Refusal is { } refused ? new TesseraError(refused.Code, refused.Message) : null;
        }, Context.RequestAborted).ConfigureAwait(false);
        if (bound.Refusal is { } refusal)
        {
            DpopResourceLog.Refused(_dpopLog, refusal.Code, refusal.Message);
            // Outwardly invalid_token (401, the catalog's answer); the challenge names the RFC 9449 code it carries as the reason.
            return await RejectAsync(new TesseraError(TesseraErrorCodes.InvalidToken, refusal.Message) { Reason = refusal.Code == TesseraErrorCodes.InvalidToken ? DpopBindingReason : refusal.Code }).ConfigureAwait(false);
        }

        if (!validation.Succeeded)
        {
            return await RejectAsync(validation.Error).ConfigureAwait(false);
        }

        ValidatedAccessToken accepted = validation.Value!;

        if (accepted.BindingMismatch)
        {
            IssuedBearerLog.BindingMismatch(_log, accepted.Session.Handle, RevocationReasons.BindingMismatch);
        }

        List<Claim> claims = ScopeClaims(accepted.Claims, remember: accepted.FromCache);
        if (bound.Proof is { } proof)
        {
            claims.Add(new Claim(TesseraBearerDefaults.DpopKeyThumbprintClaimType, proof.KeyThumbprint));
            Context.Features.Set(new DpopProofFeature(proof));
            DpopResourceLog.Accepted(_dpopLog, proof.KeyThumbprint);
        }

        var context = new IssuedTokenValidatedContext(Context, Scheme, Options, accepted) { Principal = PrincipalOf(accepted.Session, claims) };
        await Events.TokenValidated(context).ConfigureAwait(false);
        AuthenticateResult result = Accept(context, accepted.Session);
        if (result.Succeeded)
        {
            IssuedBearerLog.Authenticated(_log, accepted.Session.Handle);
        }

        return result;
    }

    /// <inheritdoc />
    protected override void LogStoreUnavailable(Exception exception) => IssuedBearerLog.StoreUnavailable(_log, exception);

    /// <inheritdoc />
    protected override void AddChallenge(AuthenticateResult result, TesseraError? refusal, TesseraErrorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(entry);
        DpopChallenge.Offer offer = Offer();
        if (entry.IsServerSide)
        {
            // Nothing is wrong with the token: no error attribute, the 503 says to retry.
            DpopChallenge.Write(Response, offer, null, null, null, nonces);
            return;
        }

        // RFC 6750 §3: no error attribute when the request had no token; §3.1: invalid_token for a refused one.
        // RFC 9449 §7.1: a refused proof is invalid_dpop_proof (use_dpop_nonce with a fresh DPoP-Nonce, §9);
        // §7.2: a challenge per accepted scheme, the error on the one the client used.
        if (refusal is null)
        {
            DpopChallenge.Write(Response, offer, null, null, null, nonces);
            return;
        }

        bool proofError = DpopRefusal.IsProofCode(refusal.Reason);
        string error = proofError ? refusal.Reason! : entry.ChallengeError ?? TesseraErrorCodes.InvalidToken;
        string description = BearerChallenge.Describe(refusal.Message, proofError ? null : refusal.Reason);
        DpopChallenge.Write(Response, offer, _scheme ?? SchemeOf(result), error, description, nonces);
    }

    /// <inheritdoc />
    protected override void AddForbiddenChallenge()
    {
        if (Context.Items.ContainsKey(DpopRequirement.MissingItem))
        {
            // A policy with RequireDpop() met a token that is not DPoP-bound: say what to send (RFC 9449 §7.1).
            Response.Headers[HeaderNames.WWWAuthenticate] = BearerChallenge.FormatScheme(CredentialReader.DpopScheme, Realm,
                ("error", TesseraErrorCodes.InvalidToken), ("error_description", "This resource requires a DPoP-bound access token with a DPoP proof."), ("algs", Algorithms));
            return;
        }

        Response.Headers[HeaderNames.WWWAuthenticate] = BearerChallenge.Format(Realm, ("error", TesseraBearerErrorCodes.InsufficientScope));
    }

    /// <summary>The challenges of the server's own bearer when no credential was presented: <c>Bearer</c> and, when accepted, <c>DPoP</c> with its <c>algs</c> (RFC 9449 §7.2, Figure 17).</summary>
    internal static StringValues NoCredentialChallenges(HttpContext context)
    {
        IssuedBearerOptions? options = context.RequestServices.GetService<IOptionsMonitor<IssuedBearerOptions>>()?.Get(IssuedBearerDefaults.AuthenticationScheme);
        IList<string>? algorithms = context.RequestServices.GetService<DpopProofValidator>()?.Options.AllowedAlgorithms;
        bool dpop = options?.AcceptDpop != false && algorithms is not null;
        return DpopChallenge.Format(new DpopChallenge.Offer(Realm, Bearer: options?.RequireDpop != true || !dpop, Dpop: dpop, dpop ? string.Join(' ', algorithms!) : ""), null, null, null);
    }

    /// <summary>The reason a refused DPoP binding carries (the token is bound and sent as bearer, not bound and sent as DPoP, or bound to another key).</summary>
    internal const string DpopBindingReason = "dpop_binding";

    private string Algorithms => string.Join(' ', dpop.Options.AllowedAlgorithms);

    private static TokenScheme SchemeOf(AuthenticateResult result) =>
        result.Properties?.Items.TryGetValue(SchemeItem, out string? scheme) == true && scheme == nameof(TokenScheme.Dpop) ? TokenScheme.Dpop : TokenScheme.Bearer;

    private DpopChallenge.Offer Offer() => new(Realm, Bearer: !Options.RequireDpop, Dpop: Options.AcceptDpop, Algorithms);

    /// <summary>The token's own <c>scope</c> (RFC 9068 §2.2.3), one claim per entry as the resource-server bearer maps it; none when the token has none.</summary>
    private static List<Claim> ScopeClaims(JwtClaims claims, bool remember)
    {
        // Split once per cached token (IssuedTokenScopes; remembered only while the token cache is on,
        // which hands the same claims back); the Claim objects are this request's own.
        string[] scopes = IssuedTokenScopes.Of(claims, remember);
        var list = new List<Claim>(scopes.Length + 1);
        foreach (string scope in scopes)
        {
            list.Add(new Claim(TesseraBearerDefaults.ScopeClaimType, scope));
        }

        return list;
    }

    private async Task<AuthenticateResult> RejectAsync(TesseraError error)
    {
        IssuedBearerLog.Rejected(_log, error.Code, error.Reason ?? "-");
        if (string.Equals(error.Reason, SessionValidation.UnknownSessionReason, StringComparison.Ordinal))
        {
            SuspiciousSessionLog.UnknownTokenSession(_log, Context);
        }

        await Events.TokenRejected(new IssuedTokenRejectedContext(Context, Scheme, Options, error)).ConfigureAwait(false);
        AuthenticateResult failure = Failure(error);
        failure.Properties!.Items[SchemeItem] = (_scheme ?? TokenScheme.Bearer).ToString();
        return failure;
    }
}
