using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Http;
using Tessera.Jose;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// The resource-server bearer (<c>AddTesseraBearer</c>), for an API that trusts Tessera's tokens
/// without sharing its stores (the server itself uses its own bearer,
/// <see cref="IssuedBearer.IssuedBearerHandler"/>). Authenticates a request by its
/// <c>Authorization: Bearer</c> JWT access token (RFC 6750 §2.1, read by
/// <see cref="CredentialReader"/>; RFC 9068): keys from the issuer's JWKS (or fixed ones), the algorithm allow-list, <c>typ</c>,
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

    private static readonly BearerFailure EmptyToken = new(JoseErrorCodes.Malformed, "The bearer token is empty.");
    private static readonly BearerFailure Unexpected = new(TesseraErrorCodes.InvalidToken, "The token could not be validated.");

    // Our messages get a category of their own, apart from the base class's per-challenge logs.
    private readonly ILogger _log = loggerFactory.CreateLogger(TesseraBearerLog.Category);

    private new TesseraBearerEvents Events => (TesseraBearerEvents)base.Events!;

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new TesseraBearerEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new BearerMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is { } decided)
        {
            return decided;
        }

        string? token = received.Token;
        if (token is null)
        {
            BearerCredential credential = CredentialReader.ReadBearer(Request.Headers.Authorization);
            if (credential.Presence == CredentialPresence.Absent)
            {
                return AuthenticateResult.NoResult();
            }

            if (credential.Token is null)
            {
                return await FailAsync(new BearerFailure(JoseErrorCodes.Malformed, credential.Problem!)).ConfigureAwait(false);
            }

            token = credential.Token;
        }

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

        JwtValidation validation = Validate(token, current);
        if (validation.Error?.Code == JoseErrorCodes.KeyNotFound)
        {
            // An unknown kid: the issuer may have rotated its keys since we fetched them.
            BearerKeysResult fresh = await source.RefreshForUnknownKeyAsync(current, Context.RequestAborted).ConfigureAwait(false);
            if (fresh.Keys is { } newer && !ReferenceEquals(newer, current))
            {
                validation = Validate(token, newer);
            }
        }

        if (validation.Error is { } error)
        {
            return await FailAsync(new BearerFailure(error.Code, error.Message)).ConfigureAwait(false);
        }

        JwtClaims claims = validation.Claims!;
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

        var validated = new BearerTokenValidatedContext(Context, Scheme, Options, claims)
        {
            Principal = new ClaimsPrincipal(BearerClaimsMapper.ToIdentity(claims, Scheme.Name, Options)),
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
        Response.Headers.WWWAuthenticate = failure is null
            ? BearerChallenge.Format(Options.Realm)
            : BearerChallenge.Format(Options.Realm, ("error", entry.ChallengeError ?? TesseraErrorCodes.InvalidToken), ("error_description", BearerChallenge.Describe(failure.Message, ReasonOf(failure))));
        await WriteProblemAsync(entry.Status, failure?.Code ?? TesseraErrorCodes.Unauthenticated, failure?.Message ?? "Send an access token: Authorization: Bearer <token>.").ConfigureAwait(false);
    }

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

        await WriteProblemAsync(StatusCodes.Status403Forbidden, HttpErrorCodes.Forbidden, "This token may not do that.").ConfigureAwait(false);
    }

    /// <summary>
    /// The signature and claims, from <see cref="TesseraBearerOptions.TokenCache"/> when this exact
    /// token was verified before with a key <paramref name="keys"/> still holds (see
    /// <see cref="VerifiedTokenCache"/> for why that is as strong); the checks after it run anyway.
    /// </summary>
    private JwtValidation Validate(string token, BearerKeys keys) =>
        Options.TokenCache is { } cache ? cache.Validate(keys.Validator, token, keys.Keys) : keys.Validator.Validate(token, keys.Keys);

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
