namespace Tessera.AspNetCore.Csrf;

/// <summary>The CSRF check's options: which other origins may send state-changing requests.</summary>
public sealed class CsrfOptions
{
    /// <summary>
    /// Origins besides the server's own that may send state-changing requests, such as
    /// <c>https://app.example.org</c> for a front end on another host. Exact match, scheme included.
    /// </summary>
    public IList<string> TrustedOrigins { get; } = [];
}
