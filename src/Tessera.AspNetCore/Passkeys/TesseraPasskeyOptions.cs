namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// Passkey (WebAuthn Level 3) settings, bound from <c>Tessera:Passkeys</c> (docs/passkeys.md). The
/// relying party id and origins default to the token issuer's host and origin, so a server with a
/// configured issuer needs nothing here.
/// </summary>
public sealed class TesseraPasskeyOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Tessera:Passkeys";

    /// <summary>
    /// The relying party id (WebAuthn §5.1.2, a registrable domain suffix of every origin); null: the
    /// host of <c>Tessera:Tokens:Issuer</c>, or of the request when no issuer is configured.
    /// Changing it orphans every registered passkey.
    /// </summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>The relying party name an authenticator may show.</summary>
    public string RelyingPartyName { get; set; } = "Tessera";

    /// <summary>
    /// The origins (<c>https://host[:port]</c>) a browser may report in <c>clientDataJSON.origin</c>
    /// (WebAuthn §7.1 step 9, §7.2 step 13); empty: the issuer's origin (or the request's).
    /// </summary>
    public IList<string> Origins { get; } = [];

    /// <summary>How long a passwordless account's passkey sign-in counts as recent enough to set a password.</summary>
    public TimeSpan RecentSignIn { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>What is wrong with these settings, or null.</summary>
    internal string? Problem()
    {
        // WebAuthn §5.1.2: an RP id is a valid domain string (no scheme, port or path).
        if (RelyingPartyId is { } id && Uri.CheckHostName(id) != UriHostNameType.Dns)
        {
            return "RelyingPartyId must be a domain such as example.org";
        }

        if (string.IsNullOrWhiteSpace(RelyingPartyName) || RelyingPartyName.Length > 64)
        {
            return "RelyingPartyName must be 1 to 64 characters";
        }

        foreach (string origin in Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || origin.EndsWith('/'))
            {
                return $"Origins holds '{origin}', which is not an origin such as https://example.org";
            }
        }

        return RecentSignIn <= TimeSpan.Zero || RecentSignIn > TimeSpan.FromHours(24) ? "RecentSignIn must be positive, at most a day" : null;
    }
}
