using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Registers the session-cookie authentication scheme.</summary>
public static class SessionCookieExtensions
{
    /// <summary>Adds the session-cookie scheme under <see cref="SessionCookieDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddTesseraSessionCookie(this AuthenticationBuilder builder, Action<SessionCookieOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionCookieOptions>, PostConfigureSessionCookieOptions>());
        return builder.AddScheme<SessionCookieOptions, SessionCookieHandler>(SessionCookieDefaults.AuthenticationScheme, configure);
    }
}
