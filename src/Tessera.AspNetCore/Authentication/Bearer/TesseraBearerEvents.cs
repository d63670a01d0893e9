using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>Hooks into the bearer scheme; every event does nothing by default.</summary>
public class TesseraBearerEvents
{
    /// <summary>Before the token is read; set <see cref="BearerMessageReceivedContext.Token"/> to take it from elsewhere than the Authorization header.</summary>
    public Func<BearerMessageReceivedContext, Task> OnMessageReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>The token is valid; the context may add claims, or refuse it with <c>Fail</c>.</summary>
    public Func<BearerTokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>A token was presented but refused; the context may replace the result.</summary>
    public Func<BearerAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401/503 challenge is written; call <see cref="BearerChallengeContext.HandleResponse"/> to write your own.</summary>
    public Func<BearerChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Runs <see cref="OnMessageReceived"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task MessageReceived(BearerMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Runs <see cref="OnTokenValidated"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task TokenValidated(BearerTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Runs <see cref="OnAuthenticationFailed"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task AuthenticationFailed(BearerAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Runs <see cref="OnChallenge"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task Challenge(BearerChallengeContext context) => OnChallenge(context);
}

/// <summary>A request reached the bearer handler; set <see cref="Token"/> to take the token from elsewhere than the Authorization header.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The bearer scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class BearerMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options)
    : ResultContext<TesseraBearerOptions>(context, scheme, options)
{
    /// <summary>The token to validate; null: read the <c>Authorization: Bearer</c> header (RFC 6750 §2.1).</summary>
    public string? Token { get; set; }
}

/// <summary>A token passed every check; its claims can still be inspected, and the result replaced, before the principal is made.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The bearer scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="claims">The token's validated claims.</param>
public sealed class BearerTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, JwtClaims claims)
    : ResultContext<TesseraBearerOptions>(context, scheme, options)
{
    /// <summary>The validated token's claims, as Tessera.Jose read them.</summary>
    public JwtClaims Claims { get; } = claims;
}

/// <summary>A presented token was refused; <see cref="Failure"/> says why.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The bearer scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="failure">Why the token was refused.</param>
public sealed class BearerAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, BearerFailure failure)
    : ResultContext<TesseraBearerOptions>(context, scheme, options)
{
    /// <summary>Why the token was refused: a stable code and a message.</summary>
    public BearerFailure Failure { get; } = failure;
}

/// <summary>The 401 or 503 answer is about to be written; <c>HandleResponse</c> writes your own instead.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The bearer scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's authentication properties.</param>
/// <param name="failure">Why authentication failed; null when no token was sent.</param>
public sealed class BearerChallengeContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, AuthenticationProperties properties, BearerFailure? failure)
    : PropertiesContext<TesseraBearerOptions>(context, scheme, options, properties)
{
    /// <summary>Why authentication failed; null when no token was sent.</summary>
    public BearerFailure? Failure { get; } = failure;

    /// <summary>True once an event wrote the response itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skip the default challenge: the event wrote the response.</summary>
    public void HandleResponse() => Handled = true;
}

/// <summary>
/// Why a bearer token was not accepted: <see cref="Code"/> is the JOSE code (<c>expired</c>,
/// <c>signature_invalid</c>…) or one of <see cref="TesseraBearerErrorCodes"/>; <see cref="Message"/> is for people.
/// </summary>
public sealed record BearerFailure(string Code, string Message)
{
    /// <summary>Failures that say nothing about the token: the server could not check it (503, not 401).</summary>
    public bool IsServerSide => Http.TesseraErrorCatalog.Describe(Code).IsServerSide;
}
