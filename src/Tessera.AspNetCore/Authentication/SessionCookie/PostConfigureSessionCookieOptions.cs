using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Fills defaults a host left empty.</summary>
public sealed class PostConfigureSessionCookieOptions : IPostConfigureOptions<SessionCookieOptions>
{
    public void PostConfigure(string? name, SessionCookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CookieName))
        {
            options.CookieName = SessionCookieDefaults.CookieName;
        }
    }
}
