using Tessera.OAuth;

namespace Tessera.AspNetCore.OAuth;

/// <summary>
/// Who a request to the token, revocation or introspection endpoint says it is, once checked: a
/// registered client and the method it used, a refusal (<c>invalid_client</c>, or
/// <c>invalid_request</c> for two methods at once), or nobody (no client parameters at all).
/// </summary>
public sealed record ClientAuthenticationResult
{
    /// <summary>No client id, secret, assertion or Basic credentials were sent.</summary>
    public static ClientAuthenticationResult Absent { get; } = new();

    /// <summary>The authenticated (or, for a public client, identified) client.</summary>
    public OAuthClient? Client { get; init; }

    /// <summary>The method it used: one of <see cref="ClientAuthMethods"/>.</summary>
    public string? Method { get; init; }

    /// <summary>Why the client was refused; null when authenticated or absent.</summary>
    public TesseraError? Error { get; init; }

    /// <summary>The request used HTTP Basic: a refusal must be 401 with <c>WWW-Authenticate: Basic</c> (RFC 6749 §5.2).</summary>
    public bool UsedBasic { get; init; }

    /// <summary>True when the request named no client at all (neither failed nor succeeded).</summary>
    public bool IsAbsent => Client is null && Error is null;

    /// <summary>A client that proved who it is (a secret or an assertion), not merely named itself.</summary>
    public bool IsConfidential => Client is not null && !string.Equals(Method, ClientAuthMethods.None, StringComparison.Ordinal);

    /// <summary>A refusal with <paramref name="code"/> and <paramref name="message"/>; <paramref name="usedBasic"/> makes it a 401 with a Basic challenge.</summary>
    public static ClientAuthenticationResult Refused(string code, string message, bool usedBasic) =>
        new() { Error = new TesseraError(code, message), UsedBasic = usedBasic };
}
