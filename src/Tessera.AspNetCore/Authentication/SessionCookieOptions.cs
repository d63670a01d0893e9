using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Http;
using Tessera.Sessions;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Options of the session-cookie scheme.</summary>
public sealed class SessionCookieOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The longest lifetime a browser gives a persistent cookie: RFC 6265bis (draft-ietf-httpbis-rfc6265bis
    /// §5.6.1, §5.6.2) caps Expires and Max-Age at 400 days, so a longer Max-Age would only be cut.
    /// </summary>
    public static readonly TimeSpan MaximumPersistentLifetime = TimeSpan.FromDays(400);

    /// <summary>Options with do-nothing events.</summary>
    public SessionCookieOptions() => Events = new SessionCookieEvents();

    /// <summary>The cookie's name. Keep the <c>__Host-</c> prefix unless you know why not.</summary>
    public string CookieName { get; set; } = SessionCookieDefaults.CookieName;

    /// <summary>
    /// <c>Lax</c> (the default): the cookie goes with top-level navigations from other sites, not
    /// with their subrequests or POSTs. <c>Strict</c>: never with a request another site starts
    /// (a link from elsewhere arrives signed out). <c>None</c>: with every cross-site request too,
    /// for an app embedded in another site; the start-up log warns, and only the CSRF origin check
    /// then stands between another site and this session (RFC 6265bis §8.8).
    /// </summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>
    /// Off by default. When on, a sign-in with <c>"rememberMe": true</c> gets a persistent cookie
    /// (Max-Age = the session's absolute lifetime, at most 400 days) that outlives a browser
    /// restart; without it the cookie lives for the browser session, as always. The server's idle
    /// and absolute expiry apply either way.
    /// </summary>
    public bool RememberMe { get; set; }

    /// <summary>The scheme's events (the base class's, typed).</summary>
    public new SessionCookieEvents Events
    {
        get => (SessionCookieEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>An RFC 6265 §4.1.1 cookie-name: a token (printable ASCII, no separators).</summary>
    public static bool IsCookieName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c > ' ' && c < 0x7f && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));

    /// <summary>Strict, Lax or None, in any casing; null for anything else.</summary>
    public static SameSiteMode? ParseSameSite(string? value) => value?.ToUpperInvariant() switch
    {
        "STRICT" => SameSiteMode.Strict,
        "LAX" => SameSiteMode.Lax,
        "NONE" => SameSiteMode.None,
        _ => null,
    };

    /// <summary>Checks the options when the scheme is first used; throws <see cref="InvalidOperationException"/> naming what is wrong.</summary>
    public override void Validate()
    {
        base.Validate();
        if (!IsCookieName(CookieName))
        {
            throw new InvalidOperationException("The session cookie name must be a non-empty RFC 6265 token (printable ASCII, no separators).");
        }

        // Every Tessera cookie is Secure, Path=/ and host-only, which is what the __Host- and
        // __Secure- prefixes demand (RFC 6265bis §4.1.3) and what SameSite=None requires of a
        // cookie browsers accept (§5.6.7): those rules hold by construction.
        if (SameSite is not (SameSiteMode.Strict or SameSiteMode.Lax or SameSiteMode.None))
        {
            throw new InvalidOperationException("The session cookie's SameSite must be Strict, Lax or None.");
        }

        // The largest session cookie these options write: a secret and, when persistent, the longest Max-Age.
        int size = CookieBudget.SizeOf(CookieName, new string('A', SessionSecret.EncodedLength),
            SessionCookies.Options(this, RememberMe ? MaximumPersistentLifetime : null));
        if (size > CookieBudget.MaximumBytes)
        {
            throw new InvalidOperationException(
                $"The session cookie would take {size} bytes with its attributes, more than the {CookieBudget.MaximumBytes} a browser is sure to keep (RFC 6265 §6.1): choose a shorter cookie name.");
        }
    }
}
