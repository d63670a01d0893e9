namespace Tessera.AspNetCore.Csrf;

public sealed class CsrfOptions
{
    /// <summary>
    /// Origins besides the server's own that may send state-changing requests, such as
    /// <c>https://app.example.org</c> for a front end on another host. Exact match, scheme included.
    /// </summary>
    public IList<string> TrustedOrigins { get; } = [];
}
