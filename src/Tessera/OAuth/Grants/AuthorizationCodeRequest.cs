namespace Tessera.OAuth.Grants;

/// <summary>The parameters of an authorization code token request (RFC 6749 §4.1.3, RFC 7636 §4.5), as sent.</summary>
public sealed record AuthorizationCodeRequest(string? Code, string? RedirectUri, string? CodeVerifier)
{
    /// <summary>The RFC 7638 thumbprint of the key of the valid DPoP proof sent with the request (RFC 9449 §5); null: none.</summary>
    public string? DpopKeyThumbprint { get; init; }

    // The code and the verifier are secrets.
    /// <summary>Names the redirect URI only: the code and the PKCE verifier are secrets and never printed.</summary>
    public override string ToString() => $"AuthorizationCodeRequest {{ RedirectUri = {RedirectUri} }}";
}
