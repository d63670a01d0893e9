using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Hooks into the session-cookie scheme; every event does nothing by default.</summary>
public class SessionCookieEvents
{
    private static readonly Func<SessionValidatedContext, Task> NothingOnValidated = _ => Task.CompletedTask;

    /// <summary>A cookie named a valid session; the context may add claims or reject it with <c>Fail</c>.</summary>
    public Func<SessionValidatedContext, Task> OnSessionValidated { get; set; } = NothingOnValidated;

    /// <summary>A cookie was presented but refused (unknown, expired, revoked, outside its binding).</summary>
    public Func<SessionRejectedContext, Task> OnSessionRejected { get; set; } = _ => Task.CompletedTask;

    /// <summary>Runs <see cref="OnSessionValidated"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task SessionValidated(SessionValidatedContext context) => OnSessionValidated(context);

    /// <summary>
    /// True when <see cref="SessionValidated"/> would do nothing (this class, the default delegate): the
    /// scheme then skips it. An application's handler always runs inside an async method, so what it
    /// sets in async-local state stays there, as with the framework's handlers.
    /// </summary>
    internal bool ValidatedDoesNothing => GetType() == typeof(SessionCookieEvents) && ReferenceEquals(OnSessionValidated, NothingOnValidated);

    /// <summary>Runs <see cref="OnSessionRejected"/>; override in a subclass instead of setting the delegate.</summary>
    public virtual Task SessionRejected(SessionRejectedContext context) => OnSessionRejected(context);
}

/// <summary>A session cookie resolved to a live session.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="session">The session behind the cookie.</param>
public sealed class SessionValidatedContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, SessionRecord session)
    : ResultContext<SessionCookieOptions>(context, scheme, options)
{
    /// <summary>The session behind the cookie.</summary>
    public SessionRecord Session { get; } = session;
}

/// <summary>A session cookie was refused; <see cref="Error"/> says why.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="error">Why the cookie was refused.</param>
public sealed class SessionRejectedContext(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions options, TesseraError error)
    : BaseContext<SessionCookieOptions>(context, scheme, options)
{
    /// <summary>Why the cookie was refused (<c>session_expired</c>, <c>session_revoked</c>, …).</summary>
    public TesseraError Error { get; } = error;
}
