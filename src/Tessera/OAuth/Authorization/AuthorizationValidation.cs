namespace Tessera.OAuth.Authorization;

/// <summary>
/// The outcome of checking an authorization request, in the three shapes RFC 6749 §4.1.2.1 allows:
/// <list type="bullet">
/// <item><see cref="Request"/>: valid.</item>
/// <item><see cref="RedirectTo"/> with <see cref="Error"/>: the client and its redirect URI are
/// verified, so the error goes back there (with <see cref="State"/>).</item>
/// <item>only <see cref="Error"/>: the client or the redirect URI cannot be trusted, so the error is
/// shown to the user and the browser goes nowhere (never an open redirect, RFC 9700 §4.11.2).</item>
/// </list>
/// </summary>
public sealed record AuthorizationValidation
{
    /// <summary>The valid request; null when the request failed.</summary>
    public AuthorizationRequest? Request { get; private init; }

    /// <summary>One of <see cref="AuthorizationErrors"/>.</summary>
    public string? Error { get; private init; }

    /// <summary>For people (the page, or <c>error_description</c>); never a secret.</summary>
    public string? ErrorDescription { get; private init; }

    /// <summary>The verified redirect URI an error may be sent to; null: show the error page.</summary>
    public string? RedirectTo { get; private init; }

    /// <summary>The client's <c>state</c>, echoed with an error sent to <see cref="RedirectTo"/> (RFC 6749 §4.1.2.1).</summary>
    public string? State { get; private init; }

    /// <summary>How to send the error to <see cref="RedirectTo"/> (one of <see cref="ResponseModes"/>).</summary>
    public string ResponseMode { get; private init; } = ResponseModes.Query;

    /// <summary>The verified client, when it got that far (the error page names it).</summary>
    public OAuthClient? Client { get; private init; }

    /// <summary>True when <see cref="Request"/> is set: go on to sign-in and consent.</summary>
    public bool Succeeded => Request is not null;

    /// <summary>A valid <paramref name="request"/> of <paramref name="client"/>.</summary>
    public static AuthorizationValidation Valid(AuthorizationRequest request, OAuthClient client) => new() { Request = request, Client = client };

    /// <summary>An error shown on Tessera's own page, never redirected: the client or its redirect URI is not trusted.</summary>
    public static AuthorizationValidation Page(string error, string description, OAuthClient? client = null) =>
        new() { Error = error, ErrorDescription = description, Client = client };

    /// <summary>An error sent back to the verified <paramref name="redirectUri"/> of <paramref name="client"/>, with <paramref name="state"/>, in <paramref name="responseMode"/>.</summary>
    public static AuthorizationValidation Redirect(OAuthClient client, string redirectUri, string? state, string responseMode, string error, string description) =>
        new() { Client = client, RedirectTo = redirectUri, State = state, ResponseMode = responseMode, Error = error, ErrorDescription = description };
}
