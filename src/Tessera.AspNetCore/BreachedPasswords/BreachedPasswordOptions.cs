namespace Tessera.AspNetCore.BreachedPasswords;

/// <summary>
/// The opt-in breached-password check (<c>Tessera:BreachedPasswords</c>): a new password (registration,
/// password change) is looked up in the Have I Been Pwned "Pwned Passwords" range API by k-anonymity,
/// so only the first 5 hex characters of its SHA-1 leave the server (NIST SP 800-63B §3.1.1.2 asks
/// for a check against breach corpuses). Off by default: it sends a request to a third party.
/// </summary>
public sealed class BreachedPasswordOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Tessera:BreachedPasswords";

    /// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client the check uses (a host may configure a proxy on it).</summary>
    public const string HttpClientName = "Tessera.BreachedPasswords";

    /// <summary>Whether new passwords are checked at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>The range API's base address; <c>range/{prefix}</c> is appended.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.pwnedpasswords.com/");

    /// <summary>How long one look-up may take before the service counts as unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When the service is unavailable: false (the default) accepts the password (the common-password
    /// list still applied); true refuses the request with 503 <c>breach_check_unavailable</c>.
    /// </summary>
    public bool FailClosed { get; set; }

    /// <summary>Why these options are unusable, or null when they are fine.</summary>
    public string? Problem()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(BaseUrl.Query) || !string.IsNullOrEmpty(BaseUrl.Fragment))
        {
            return "BaseUrl must be an absolute http(s) URL without query or fragment";
        }

        return Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromSeconds(30)
            ? "Timeout must be positive and at most 30 seconds"
            : null;
    }

    /// <summary>The look-up address of a 5-character SHA-1 prefix.</summary>
    internal Uri RangeUri(string prefix)
    {
        string root = BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl.AbsoluteUri : BaseUrl.AbsoluteUri + "/";
        return new Uri(new Uri(root), "range/" + prefix);
    }
}
