using Microsoft.AspNetCore.Authentication;

namespace Tessera.AspNetCore.Authentication;

/// <summary>Options of the session-cookie scheme.</summary>
public sealed class SessionCookieOptions : AuthenticationSchemeOptions
{
    public SessionCookieOptions() => Events = new SessionCookieEvents();

    /// <summary>The cookie's name. Keep the <c>__Host-</c> prefix unless you know why not.</summary>
    public string CookieName { get; set; } = SessionCookieDefaults.CookieName;

    public new SessionCookieEvents Events
    {
        get => (SessionCookieEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>An RFC 6265 §4.1.1 cookie-name: a token (printable ASCII, no separators).</summary>
    public static bool IsCookieName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c > ' ' && c < 0x7f && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));

    public override void Validate()
    {
        base.Validate();
        if (!IsCookieName(CookieName))
        {
            throw new InvalidOperationException("The session cookie name must be a non-empty RFC 6265 token (printable ASCII, no separators).");
        }
    }
}
