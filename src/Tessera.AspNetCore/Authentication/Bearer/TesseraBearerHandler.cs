using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication.Middleware;
using Tessera.AspNetCore.Http;
using Tessera.Jose;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// The resource-server bearer (<c>AddTesseraBearer</c>), for an API that trusts Tessera's tokens
/// without sharing its stores (the server itself uses its own bearer,
/// <see cref="IssuedBearer.IssuedBearerHandler"/>). Authenticates a request by its
/// <c>Authorization: Bearer</c> JWT access token (RFC 6750 §2.1, read by
/// <see cref="CredentialReader"/>; RFC 9068), or its DPoP-bound token under <c>Authorization: DPoP</c>
/// with a proof (RFC 9449 §7.1; a bound token sent as a bearer token is refused, §7.2): keys from the issuer's JWKS (or fixed ones), the algorithm allow-list, <c>typ</c>,
/// <c>iss</c>, <c>aud</c> and time checked by Tessera.Jose, optionally the session's revocation by
/// introspection; the claims become a <see cref="ClaimsPrincipal"/>. A refused token is a 401
/// with <c>WWW-Authenticate: Bearer error="invalid_token"</c> and a problem+json body whose
/// <c>error</c> is the precise code; keys or introspection that cannot be reached make a 503.
/// </summary>
public sealed class TesseraBearerHandler(IOptionsMonitor<TesseraBearerOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : AuthenticationHandler<TesseraBearerOptions>(options, loggerFactory, encoder)
{
    private const string CodeItem = "tessera.bearer.error";
    private const string MessageItem = "tessera.bearer.detail";
    private const string SchemeItem = "tessera.bearer.scheme";

    private static readonly BearerFailure EmptyToken = new(JoseErrorCodes.Malformed, "The bearer token is empty.");
    private static readonly BearerFailure Unexpected = new(TesseraErrorCodes.InvalidToken, "The token could not be validated.");

    // Our messages get a category of their own, apart from the base class's per-challenge logs.
    private readonly ILogger _log = HandlerLoggers.For(loggerFactory, TesseraBearerLog.Category);
    private readonly ILogger _dpopLog = HandlerLoggers.For(loggerFactory, DpopResourceLog.Category);

    // The scheme the request's token came under, for the challenge (RFC 9449 §7.2: the error goes on that scheme's challenge).
    private TokenScheme? _scheme;

    private new TesseraBearerEvents Events => (TesseraBearerEvents)base.Events!;

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new TesseraBearerEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // UseTesseraAuthentication() authenticated this scheme already with a handler of its own: the same result, as the framework's one handler per request would give.
        if (AuthenticatedOnce.TryGet(Context, Scheme.Name, Options, out AuthenticateResult once))
        {
            return once;
        }

        AuthenticateResult result = await AuthenticateTokenAsync().ConfigureAwait(false);
        AuthenticatedOnce.Record(Context, Scheme.Name, Options, result);
        return result;
    }

    private async Task<AuthenticateResult> AuthenticateTokenAsync()
    {
        var received = new BearerMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is { } decided)
        {
            return decided;
        }

        string? token = received.Token;
        TokenScheme scheme = TokenScheme.Bearer; // a token an event found elsewhere is a bearer token: a bound one is refused
        if (token is null)
        {
            PresentedToken presented = PresentedToken.Read(Request, Options.Dpop.Accept, cookieName: null);
            BearerCredential credential = presented.Credential;
            if (credential.Presence == CredentialPresence.Absent)
            {
                return AuthenticateResult.NoResult();
            }

            scheme = presented.Scheme;
            _scheme = scheme;
            if (credential.Token is null)
            {
                return await FailAsync(new BearerFailure(JoseErrorCodes.Malformed, credential.Problem!)).ConfigureAwait(false);
            }

            token = credential.Token;
        }

        _scheme = scheme;

        if (token.Length == 0)
        {
            return await FailAsync(EmptyToken).ConfigureAwait(false);
        }

        BearerKeySource source = Options.KeySource
            ?? throw new InvalidOperationException("TesseraBearer has neither an Authority nor Keys (its options were not validated).");
        BearerKeysResult keys = await source.GetAsync(Context.RequestAborted).ConfigureAwait(false);
        if (keys.Keys is not { } current)
        {
            return await FailAsync(keys.Failure!).ConfigureAwait(false);
        }

        JwtValidation validation = Validate(token, current, out bool fromCache);
        if (validation.Error?.Code == JoseErrorCodes.KeyNotFound)
        {
            // An unknown kid: the issuer may have rotated its keys since we fetched them.
            BearerKeysResult fresh = await source.RefreshForUnknownKeyAsync(current, Context.RequestAborted).ConfigureAwait(false);
            if (fresh.Keys is { } newer && !ReferenceEquals(newer, current))
            {
                validation = Validate(token, newer, out fromCache);
            }
        }

        if (validation.Error is { } error)
        {
            return await FailAsync(new BearerFailure(error.Code, error.Message)).ConfigureAwait(false);
        }

        JwtClaims claims = validation.Claims!;

        // RFC 9449 §7.1, §7.2: the token's binding and this request's proof, on every request. The
        // verification above may come from the token cache; this never does (see DpopResourceCheck).
        DpopCheck dpop = await DpopResourceCheck.CheckAsync(Request, scheme, token, claims, Options.Dpop.Validator, Options.Dpop.Require, Context.RequestAborted).ConfigureAwait(false);
        if (dpop.Refusal is { } refusal)
        {
            DpopResourceLog.Refused(_dpopLog, refusal.Code, refusal.Message);
            return await FailAsync(new BearerFailure(refusal.Code, refusal.Message)).ConfigureAwait(false);
        }

        if (Options.RevocationCheck is { } revocationList
            && await revocationList.CheckAsync(claims, Context.RequestAborted).ConfigureAwait(false) is { } listed)
        {
            return await FailAsync(listed).ConfigureAwait(false);
        }

        if (Options.Introspector is { } introspector
            && await introspector.CheckAsync(token, claims, Context.RequestAborted).ConfigureAwait(false) is { } revoked)
        {
            return await FailAsync(revoked).ConfigureAwait(false);
        }

        // The mapping is done once per cached token; the identity is this request's own (see
        // BearerPrincipalTemplate for why nothing mutable is shared). The template drops a token's
        // own claim of the proof's type: only this handler says a proof was checked.
        ClaimsIdentity identity = BearerPrincipalTemplate.For(claims, Scheme.Name, Options, remember: fromCache).CreateIdentity();

        if (dpop.Proof is { } proof)
        {
            identity.AddClaim(new Claim(TesseraBearerDefaults.DpopKeyThumbprintClaimType, proof.KeyThumbprint, ClaimValueTypes.String, claims.Issuer ?? ClaimsIdentity.DefaultIssuer));
            Context.Features.Set(new DpopProofFeature(proof));
            DpopResourceLog.Accepted(_dpopLog, proof.KeyThumbprint);
        }

        var validated = new BearerTokenValidatedContext(Context, Scheme, Options, claims)
        {
            Principal = new ClaimsPrincipal(identity),
            Properties = new AuthenticationProperties(),
        };
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is { } overridden)
        {
            return overridden;
        }

        TesseraBearerLog.Accepted(_log, claims.Subject ?? "-", claims.KeyId);
        validated.Success();
        return validated.Result!;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        BearerFailure? failure = FailureOf(result);
        var challenge = new BearerChallengeContext(Context, Scheme, Options, properties, failure);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        TesseraErrorEntry entry = TesseraErrorCatalog.Describe(failure?.Code ?? TesseraErrorCodes.Unauthenticated);
        if (entry.IsServerSide)
        {
            // Nothing is wrong with the token; the client should retry, not re-authenticate.
            Response.Headers.RetryAfter = "5";
            await WriteProblemAsync(entry.Status, failure!.Code, failure.Message).ConfigureAwait(false);
            return;
        }

        // RFC 6750 §3: with no token, the challenge carries no error attribute; §3.1: a refused one is
        // invalid_token, its precise (JOSE) code first in the description and as the problem's error.
        // RFC 9449 §7.1: a refused proof is invalid_dpop_proof (or use_dpop_nonce, §9), always 401;
        // §7.2: one challenge per accepted scheme, the error on the one the client used.
        bool proofError = DpopRefusal.IsProofCode(failure?.Code);
        string? error = failure is null ? null : proofError ? failure.Code : entry.ChallengeError ?? TesseraErrorCodes.InvalidToken;
        string? description = failure is null ? null : BearerChallenge.Describe(failure.Message, proofError ? null : ReasonOf(failure));
        DpopChallenge.Write(Response, Offer(), failure is null ? null : _scheme ?? SchemeOf(result), error, description, Options.Dpop.EffectiveNonces);
        int status = proofError ? StatusCodes.Status401Unauthorized : entry.Status;
        await WriteProblemAsync(status, failure?.Code ?? TesseraErrorCodes.Unauthenticated, failure?.Message ?? NoTokenDetail()).ConfigureAwait(false);
    }

    private DpopChallenge.Offer Offer() =>
        new(Options.Realm, Bearer: !Options.Dpop.Require, Dpop: Options.Dpop.Accept, Options.Dpop.AlgorithmsParameter);

    private string NoTokenDetail() => Options.Dpop.Require
        ? "Send a DPoP-bound access token: Authorization: DPoP <token>, with its proof in the DPoP header."
        : "Send an access token: Authorization: Bearer <token>.";

    private static TokenScheme? SchemeOf(AuthenticateResult result) =>
        result.Properties?.Items.TryGetValue(SchemeItem, out string? scheme) == true && scheme == nameof(TokenScheme.Dpop) ? TokenScheme.Dpop : null;

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(ScopeRequirement.MissingScopeItem, out object? wanted) && wanted is string scopes)
        {
            const string Description = "The token lacks the scope this resource requires.";
            Response.Headers.WWWAuthenticate = BearerChallenge.Format(Options.Realm, ("error", TesseraBearerErrorCodes.InsufficientScope), ("error_description", Description), ("scope", scopes));
            await WriteProblemAsync(StatusCodes.Status403Forbidden, TesseraBearerErrorCodes.InsufficientScope, Description).ConfigureAwait(false);
            return;
        }

        if (Context.Items.ContainsKey(DpopRequirement.MissingItem))
        {
            // A policy with RequireDpop(): the token was good but not DPoP-bound; the challenge says what to send (RFC 9449 §7.1).
            const string Description = "This resource requires a DPoP-bound access token with a DPoP proof.";
            Response.Headers.WWWAuthenticate = BearerChallenge.FormatScheme(CredentialReader.DpopScheme, Options.Realm, ("error", TesseraErrorCodes.InvalidToken), ("error_description", Description), ("algs", Options.Dpop.AlgorithmsParameter));
            await WriteProblemAsync(StatusCodes.Status403Forbidden, TesseraErrorCodes.DpopRequired, Description).ConfigureAwait(false);
            return;
        }

        await WriteProblemAsync(StatusCodes.Status403Forbidden, HttpErrorCodes.Forbidden, "This token may not do that.").ConfigureAwait(false);
    }

    /// <summary>
    /// The signature and claims, from <see cref="TesseraBearerOptions.TokenCache"/> when this exact
    /// token was verified before with a key <paramref name="keys"/> still holds (see
    /// <see cref="VerifiedTokenCache"/> for why that is as strong); the checks after it run anyway.
    /// </summary>
    private JwtValidation Validate(string token, BearerKeys keys, out bool fromCache)
    {
        fromCache = false;
        return Options.TokenCache is { } cache ? cache.Validate(keys.Validator, token, keys.Keys, out fromCache) : keys.Validator.Validate(token, keys.Keys);
    }

    /// <summary>The precise code, when it says more than the outward <c>invalid_token</c>.</summary>
    private static string? ReasonOf(BearerFailure failure) =>
        failure.Code == TesseraErrorCodes.InvalidToken ? null : failure.Code;

    private async Task<AuthenticateResult> FailAsync(BearerFailure failure)
    {
        TesseraBearerLog.Refused(_log, failure.Code);
        var failed = new BearerAuthenticationFailedContext(Context, Scheme, Options, failure);
        await Events.AuthenticationFailed(failed).ConfigureAwait(false);
        if (failed.Result is { } decided)
        {
            return decided;
        }

        var properties = new AuthenticationProperties();
        properties.Items[CodeItem] = failure.Code;
        properties.Items[MessageItem] = failure.Message;
        properties.Items[SchemeItem] = (_scheme ?? TokenScheme.Bearer).ToString();
        return AuthenticateResult.Fail(failure.Message, properties);
    }

    private static BearerFailure? FailureOf(AuthenticateResult result)
    {
        if (result.Failure is null)
        {
            return null;
        }

        return result.Properties?.Items.TryGetValue(CodeItem, out string? code) == true && code is not null
            ? new BearerFailure(code, result.Properties.Items.TryGetValue(MessageItem, out string? message) && message is not null ? message : result.Failure.Message)
            : Unexpected;
    }

    private Task WriteProblemAsync(int status, string code, string detail) =>
        TesseraProblems.Problem(status, code, detail).ExecuteAsync(Context);
}
