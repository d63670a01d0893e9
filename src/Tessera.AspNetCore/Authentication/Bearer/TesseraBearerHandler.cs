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
    private const string CodeItem = TesseraBearerAuthentication.CodeItem;
    private const string MessageItem = TesseraBearerAuthentication.MessageItem;

    private static readonly BearerFailure Unexpected = new(TesseraErrorCodes.InvalidToken, "The token could not be validated.");

    // Our messages get a category of their own, apart from the base class's per-challenge logs.
    private readonly TesseraBearerAuthentication.Loggers _logs = TesseraBearerAuthentication.Loggers.From(loggerFactory);

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

        AuthenticateResult result = await TesseraBearerAuthentication.AuthenticateAsync(Context, Scheme, Options, Events, _logs).ConfigureAwait(false);
        AuthenticatedOnce.Record(Context, Scheme.Name, Options, result);
        return result;
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
        DpopChallenge.Write(Response, Offer(), failure is null ? null : TesseraBearerAuthentication.SchemeOf(result), error, description, Options.Dpop.EffectiveNonces);
        int status = proofError ? StatusCodes.Status401Unauthorized : entry.Status;
        await WriteProblemAsync(status, failure?.Code ?? TesseraErrorCodes.Unauthenticated, failure?.Message ?? NoTokenDetail()).ConfigureAwait(false);
    }

    private DpopChallenge.Offer Offer() =>
        new(Options.Realm, Bearer: !Options.Dpop.Require, Dpop: Options.Dpop.Accept, Options.Dpop.AlgorithmsParameter);

    private string NoTokenDetail() => Options.Dpop.Require
        ? "Send a DPoP-bound access token: Authorization: DPoP <token>, with its proof in the DPoP header."
        : "Send an access token: Authorization: Bearer <token>.";

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

    /// <summary>The precise code, when it says more than the outward <c>invalid_token</c>.</summary>
    private static string? ReasonOf(BearerFailure failure) =>
        failure.Code == TesseraErrorCodes.InvalidToken ? null : failure.Code;

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
