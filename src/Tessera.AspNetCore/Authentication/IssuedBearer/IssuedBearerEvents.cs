using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Authentication.IssuedBearer;

/// <summary>
/// Hooks into the server's own bearer scheme (the access tokens this server issued), like
/// <see cref="SessionCookieEvents"/> for the session cookie; every event does nothing by default.
/// </summary>
public class IssuedBearerEvents
{
    /// <summary>An access token named a live session; the context may add claims or reject it with <c>Fail</c>.</summary>
    public Func<IssuedTokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>An access token was presented but refused (malformed, expired, bad signature, session ended).</summary>
    public Func<IssuedTokenRejectedContext, Task> OnTokenRejected { get; set; } = _ => Task.CompletedTask;

    /// <summary>Runs <see cref="OnTokenValidated"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task TokenValidated(IssuedTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Runs <see cref="OnTokenRejected"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task TokenRejected(IssuedTokenRejectedContext context) => OnTokenRejected(context);
}

/// <summary>An access token this server issued passed every check, its session included.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="token">The validated token and its session.</param>
public sealed class IssuedTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, IssuedBearerOptions options, ValidatedAccessToken token)
    : ResultContext<IssuedBearerOptions>(context, scheme, options)
{
    /// <summary>The token's claims and the live session its <c>sid</c> names.</summary>
    public ValidatedAccessToken Token { get; } = token;
}

/// <summary>A presented access token was refused; the error says why.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="error">Why the token was refused.</param>
public sealed class IssuedTokenRejectedContext(HttpContext context, AuthenticationScheme scheme, IssuedBearerOptions options, TesseraError error)
    : BaseContext<IssuedBearerOptions>(context, scheme, options)
{
    /// <summary>Why: <c>invalid_token</c> (the JOSE cause in <see cref="TesseraError.Reason"/>), <c>session_revoked</c> or <c>session_expired</c>.</summary>
    public TesseraError Error { get; } = error;
}
