using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Hooks into the session-cookie scheme; every event does nothing by default.</summary>
public class SessionCookieEvents
{
    /// <summary>A cookie named a valid session; the context may add claims or reject it with <c>Fail</c>.</summary>
    public Func<SessionValidatedContext, Task> OnSessionValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>A cookie was presented but refused (unknown, expired, revoked, outside its binding).</summary>
    public Func<SessionRejectedContext, Task> OnSessionRejected { get; set; } = _ => Task.CompletedTask;

    public virtual Task SessionValidated(SessionValidatedContext context) => OnSessionValidated(context);

    public virtual Task SessionRejected(SessionRejectedContext context) => OnSessionRejected(context);
}

public sealed class SessionValidatedContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionRecord session)
    : ResultContext<SessionCookieOptions>(context, scheme, options)
{
    public SessionRecord Session { get; } = session;
}

public sealed class SessionRejectedContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, TesseraError error)
    : BaseContext<SessionCookieOptions>(context, scheme, options)
{
    public TesseraError Error { get; } = error;
}
