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

    public virtual Task TokenValidated(IssuedTokenValidatedContext context) => OnTokenValidated(context);

    public virtual Task TokenRejected(IssuedTokenRejectedContext context) => OnTokenRejected(context);
}

public sealed class IssuedTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, IssuedBearerOptions options, ValidatedAccessToken token)
    : ResultContext<IssuedBearerOptions>(context, scheme, options)
{
    /// <summary>The token's claims and the live session its <c>sid</c> names.</summary>
    public ValidatedAccessToken Token { get; } = token;
}

public sealed class IssuedTokenRejectedContext(HttpContext context, AuthenticationScheme scheme, IssuedBearerOptions options, TesseraError error)
    : BaseContext<IssuedBearerOptions>(context, scheme, options)
{
    /// <summary>Why: <c>invalid_token</c> (the JOSE cause in <see cref="TesseraError.Reason"/>), <c>session_revoked</c> or <c>session_expired</c>.</summary>
    public TesseraError Error { get; } = error;
}
