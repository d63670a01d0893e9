using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Authentication.Bearer;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication.Middleware;

/// <summary>
/// Authenticates a request of one of Tessera's schemes without making its handler: the same code the
/// handler runs (<see cref="SessionCookieAuthentication"/>, <see cref="TesseraBearerAuthentication"/>),
/// with the scheme's options and events, its result recorded in <see cref="AuthenticatedOnce"/> as the
/// handler records it. A handler costs a dozen objects per request (the handler, its loggers, the
/// base class's state) for what is, on a cache hit, a dictionary lookup. The middleware writes the
/// lines the framework's handler base class would (<see cref="DirectAuthenticationLog"/>); the
/// challenge and the 403 still come from a handler the framework makes, which answers the recorded
/// result without looking at the credential again.
/// Taken only when the options leave nothing to a handler: no forwarding to another scheme
/// (<see cref="AuthenticationSchemeOptions.ForwardAuthenticate"/>, <c>ForwardDefault</c>,
/// <c>ForwardDefaultSelector</c>) and the events from the options, not from the request's services
/// (<see cref="AuthenticationSchemeOptions.EventsType"/>) nor made by the handler (options without events).
/// </summary>
internal abstract class DirectAuthentication
{
    /// <summary>
    /// The request's result, recorded for the rest of the request; false when this request needs a
    /// handler (its options forward, or name an events type).
    /// </summary>
    public abstract bool TryAuthenticate(HttpContext context, AuthenticationScheme scheme, out ValueTask<AuthenticateResult> result);

    /// <summary>The direct path of <paramref name="handlerType"/>, or null when it has none (its requests are handled by a handler).</summary>
    public static DirectAuthentication? For(Type handlerType, IServiceProvider services)
    {
        if (handlerType == typeof(SessionCookieHandler))
        {
            return new SessionCookie(
                services.GetRequiredService<IOptionsMonitor<SessionCookieOptions>>(),
                services.GetRequiredService<SessionService>(),
                services.GetRequiredService<ILoggerFactory>());
        }

        if (handlerType == typeof(TesseraBearerHandler))
        {
            return new ResourceBearer(services.GetRequiredService<IOptionsMonitor<TesseraBearerOptions>>(), services.GetRequiredService<ILoggerFactory>());
        }

        // The server's own bearer (IssuedBearerHandler) is left to its handler: its requests are the issuer's, not the hot path.
        return null;
    }

    // What AuthenticationHandler<TOptions> does before asking the handler: forward, resolve its events
    // per request (EventsType), or make them when the options hold none (CreateEventsAsync).
    private static bool NeedsHandler(AuthenticationSchemeOptions options) =>
        options.EventsType is not null
        || options.Events is null
        || options.ForwardAuthenticate is not null
        || options.ForwardDefault is not null
        || options.ForwardDefaultSelector is not null;

    /// <summary>
    /// The scheme's options as its handler would get them (per request: the monitor may reload), the
    /// handler's code run with them, and the result recorded as the handler records it.
    /// </summary>
    private abstract class Of<TOptions>(IOptionsMonitor<TOptions> options) : DirectAuthentication
        where TOptions : AuthenticationSchemeOptions
    {
        public sealed override bool TryAuthenticate(HttpContext context, AuthenticationScheme scheme, out ValueTask<AuthenticateResult> result)
        {
            TOptions current = options.Get(scheme.Name);
            if (NeedsHandler(current))
            {
                result = default;
                return false;
            }

            ValueTask<AuthenticateResult> checking = AuthenticateAsync(context, scheme, current);
            if (checking.IsCompletedSuccessfully)
            {
                // Answered without waiting (a cached token, a session in memory): no second state machine.
                AuthenticateResult answered = checking.Result;
                AuthenticatedOnce.Record(context, scheme.Name, current, answered);
                result = new ValueTask<AuthenticateResult>(answered);
                return true;
            }

            result = RecordedAsync(checking, context, scheme.Name, current);
            return true;
        }

        protected abstract ValueTask<AuthenticateResult> AuthenticateAsync(HttpContext context, AuthenticationScheme scheme, TOptions options);

        private static async ValueTask<AuthenticateResult> RecordedAsync(ValueTask<AuthenticateResult> checking, HttpContext context, string scheme, TOptions current)
        {
            AuthenticateResult answered = await checking.ConfigureAwait(false);
            AuthenticatedOnce.Record(context, scheme, current, answered);
            return answered;
        }
    }

    private sealed class SessionCookie(IOptionsMonitor<SessionCookieOptions> options, SessionService sessions, ILoggerFactory loggers) : Of<SessionCookieOptions>(options)
    {
        private readonly ILogger _log = HandlerLoggers.For(loggers, SessionCookieLog.Category);

        protected override ValueTask<AuthenticateResult> AuthenticateAsync(HttpContext context, AuthenticationScheme scheme, SessionCookieOptions current) =>
            SessionCookieAuthentication.AuthenticateAsync(context, scheme, current, current.Events, sessions, _log);
    }

    private sealed class ResourceBearer(IOptionsMonitor<TesseraBearerOptions> options, ILoggerFactory loggers) : Of<TesseraBearerOptions>(options)
    {
        private readonly TesseraBearerAuthentication.Loggers _logs = TesseraBearerAuthentication.Loggers.From(loggers);

        protected override ValueTask<AuthenticateResult> AuthenticateAsync(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions current) =>
            TesseraBearerAuthentication.AuthenticateAsync(context, scheme, current, current.Events, _logs);
    }
}
