using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Fills defaults a host left empty, and says so at start-up when a choice weakens the cookie.</summary>
internal sealed partial class PostConfigureSessionCookieOptions : IPostConfigureOptions<SessionCookieOptions>
{
    private readonly ILogger _logger;

    public PostConfigureSessionCookieOptions()
        : this(NullLogger<PostConfigureSessionCookieOptions>.Instance)
    {
    }

    public PostConfigureSessionCookieOptions(ILogger<PostConfigureSessionCookieOptions> logger) => _logger = logger;

    public void PostConfigure(string? name, SessionCookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CookieName))
        {
            options.CookieName = SessionCookieDefaults.CookieName;
        }

        // Never silently: a cookie sent with cross-site requests gives up SameSite's CSRF defence.
        if (options.SameSite == SameSiteMode.None)
        {
            SameSiteNone(_logger, options.CookieName);
        }
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "The session cookie {CookieName} is SameSite=None: browsers send it with requests other sites start, so only the CSRF origin check (Tessera:Csrf) protects this session's state-changing endpoints. Use Lax or Strict unless the app must work inside another site.")]
    private static partial void SameSiteNone(ILogger logger, string cookieName);
}
