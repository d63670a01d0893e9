using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Http;
using Tessera.Jose;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// How the resource-server bearer authenticates one request, apart from any handler instance: the
/// token from the request (or <see cref="TesseraBearerEvents.MessageReceived"/>), the keys, the
/// signature and claims (from <see cref="TesseraBearerOptions.TokenCache"/> when this exact token
/// was verified before), the DPoP binding, the revocation list, introspection, then the principal.
/// <see cref="TesseraBearerHandler"/> runs it, and so does <c>UseTesseraAuthentication()</c>'s fast
/// path without making a handler (see <c>DirectAuthentication</c>): one code, the same events.
/// A refusal carries its code, message and token scheme in the result's properties, where the
/// handler's challenge reads them.
/// </summary>
internal static class TesseraBearerAuthentication
{
    internal const string CodeItem = "tessera.bearer.error";
    internal const string MessageItem = "tessera.bearer.detail";
    internal const string SchemeItem = "tessera.bearer.scheme";

    private static readonly BearerFailure EmptyToken = new(JoseErrorCodes.Malformed, "The bearer token is empty.");

    private static readonly ConditionalWeakTable<ILoggerFactory, Loggers> Made = new();

    /// <summary>The loggers a request's authentication writes to, made once per logger factory.</summary>
    internal sealed record Loggers(ILogger Bearer, ILogger Dpop)
    {
        public static Loggers From(ILoggerFactory factory) =>
            Made.GetValue(factory, static f => new(HandlerLoggers.For(f, TesseraBearerLog.Category), HandlerLoggers.For(f, DpopResourceLog.Category)));
    }

    /// <summary>
    /// The request's result. A refusal names, in its properties, the scheme its token came under
    /// (RFC 9449 §7.2: the error goes on that scheme's challenge), even when an event made it; the
    /// challenge reads it there (see <see cref="SchemeOf"/>).
    /// </summary>
    public static async ValueTask<AuthenticateResult> AuthenticateAsync(
        HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, TesseraBearerEvents events, Loggers logs)
    {
        var received = new BearerMessageReceivedContext(context, scheme, options);
        await events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is { } decided)
        {
            return decided; // no token was read: no scheme to name
        }

        HttpRequest request = context.Request;
        string? token = received.Token;
        TokenScheme tokenScheme = TokenScheme.Bearer; // a token an event found elsewhere is a bearer token: a bound one is refused
        if (token is null)
        {
            PresentedToken presented = PresentedToken.Read(request, options.Dpop.Accept, cookieName: null, options.TokenCache);
            BearerCredential credential = presented.Credential;
            if (credential.Presence == CredentialPresence.Absent)
            {
                return AuthenticateResult.NoResult();
            }

            tokenScheme = presented.Scheme;
            if (credential.Token is null)
            {
                return await FailAsync(new BearerFailure(JoseErrorCodes.Malformed, credential.Problem!), tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
            }

            token = credential.Token;
        }

        if (token.Length == 0)
        {
            return await FailAsync(EmptyToken, tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
        }

        BearerKeySource source = options.KeySource
            ?? throw new InvalidOperationException("TesseraBearer has neither an Authority nor Keys (its options were not validated).");
        BearerKeysResult keys = await source.GetAsync(context.RequestAborted).ConfigureAwait(false);
        if (keys.Keys is not { } current)
        {
            return await FailAsync(keys.Failure!, tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
        }

        JwtValidation validation = Validate(options, token, current, out bool fromCache);
        if (validation.Error?.Code == JoseErrorCodes.KeyNotFound)
        {
            // An unknown kid: the issuer may have rotated its keys since we fetched them.
            BearerKeysResult fresh = await source.RefreshForUnknownKeyAsync(current, context.RequestAborted).ConfigureAwait(false);
            if (fresh.Keys is { } newer && !ReferenceEquals(newer, current))
            {
                validation = Validate(options, token, newer, out fromCache);
            }
        }

        if (validation.Error is { } error)
        {
            return await FailAsync(new BearerFailure(error.Code, error.Message), tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
        }

        JwtClaims claims = validation.Claims!;

        // RFC 9449 §7.1, §7.2: the token's binding and this request's proof, on every request. The
        // verification above may come from the token cache; this never does (see DpopResourceCheck).
        DpopCheck dpop = await DpopResourceCheck.CheckAsync(request, tokenScheme, token, claims, options.Dpop.Validator, options.Dpop.Require, context.RequestAborted).ConfigureAwait(false);
        if (dpop.Refusal is { } refusal)
        {
            DpopResourceLog.Refused(logs.Dpop, refusal.Code, refusal.Message);
            return await FailAsync(new BearerFailure(refusal.Code, refusal.Message), tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
        }

        if (options.RevocationCheck is { } revocationList
            && await revocationList.CheckAsync(claims, context.RequestAborted).ConfigureAwait(false) is { } listed)
        {
            return await FailAsync(listed, tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
        }

        if (options.Introspector is { } introspector
            && await introspector.CheckAsync(token, claims, context.RequestAborted).ConfigureAwait(false) is { } revoked)
        {
            return await FailAsync(revoked, tokenScheme, context, scheme, options, events, logs).ConfigureAwait(false);
        }

        // The mapping is done once per cached token; the identity is this request's own (see
        // BearerPrincipalTemplate for why nothing mutable is shared). The template drops a token's
        // own claim of the proof's type: only this code says a proof was checked.
        ClaimsIdentity identity = BearerPrincipalTemplate.For(claims, scheme.Name, options, remember: fromCache).CreateIdentity();

        if (dpop.Proof is { } proof)
        {
            identity.AddClaim(new Claim(TesseraBearerDefaults.DpopKeyThumbprintClaimType, proof.KeyThumbprint, ClaimValueTypes.String, claims.Issuer ?? ClaimsIdentity.DefaultIssuer));
            context.Features.Set(new DpopProofFeature(proof));
            DpopResourceLog.Accepted(logs.Dpop, proof.KeyThumbprint);
        }

        var validated = new BearerTokenValidatedContext(context, scheme, options, claims)
        {
            Principal = new ClaimsPrincipal(identity),
            Properties = new AuthenticationProperties(),
        };
        await events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is { } overridden)
        {
            return Naming(overridden, tokenScheme);
        }

        TesseraBearerLog.Accepted(logs.Bearer, claims.Subject ?? "-", claims.KeyId);
        validated.Success();
        return validated.Result!;
    }

    /// <summary>The scheme a refusal's token came under, as <see cref="AuthenticateAsync"/> recorded it; null when none was read.</summary>
    public static TokenScheme? SchemeOf(AuthenticateResult result) =>
        result.Properties?.Items.TryGetValue(SchemeItem, out string? name) == true
            ? name == nameof(TokenScheme.Dpop) ? TokenScheme.Dpop : TokenScheme.Bearer
            : null;

    private static async ValueTask<AuthenticateResult> FailAsync(
        BearerFailure failure, TokenScheme tokenScheme, HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, TesseraBearerEvents events, Loggers logs)
    {
        TesseraBearerLog.Refused(logs.Bearer, failure.Code);
        var failed = new BearerAuthenticationFailedContext(context, scheme, options, failure);
        await events.AuthenticationFailed(failed).ConfigureAwait(false);
        if (failed.Result is { } decided)
        {
            return Naming(decided, tokenScheme);
        }

        var properties = new AuthenticationProperties();
        properties.Items[CodeItem] = failure.Code;
        properties.Items[MessageItem] = failure.Message;
        properties.Items[SchemeItem] = tokenScheme.ToString();
        return AuthenticateResult.Fail(failure.Message, properties);
    }

    // An event's own refusal names the token's scheme too, so the challenge, made from the recorded
    // result by whichever handler, puts the error on the scheme the client used (RFC 9449 §7.2).
    private static AuthenticateResult Naming(AuthenticateResult result, TokenScheme tokenScheme)
    {
        if (result.Failure is not { } failure)
        {
            return result;
        }

        AuthenticationProperties properties = result.Properties ?? new AuthenticationProperties();
        properties.Items.TryAdd(SchemeItem, tokenScheme.ToString());
        return ReferenceEquals(properties, result.Properties) ? result : AuthenticateResult.Fail(failure, properties);
    }

    /// <summary>
    /// The signature and claims, from <see cref="TesseraBearerOptions.TokenCache"/> when this exact
    /// token was verified before with a key <paramref name="keys"/> still holds (see
    /// <see cref="VerifiedTokenCache"/> for why that is as strong); the checks after it run anyway.
    /// </summary>
    private static JwtValidation Validate(TesseraBearerOptions options, string token, BearerKeys keys, out bool fromCache)
    {
        fromCache = false;
        return options.TokenCache is { } cache ? cache.Validate(keys.Validator, token, keys.Keys, out fromCache) : keys.Validator.Validate(token, keys.Keys);
    }
}
