namespace Tessera.OAuth.Authorization;

/// <summary>
/// The error vocabulary of the authorization endpoint, sent back to the client's verified redirect
/// URI (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6, RFC 9126 for request objects). These words
/// never travel as problem+json: an authorization error is either a redirect carrying one of them or,
/// when the client or its redirect URI cannot be trusted, an HTML page.
/// </summary>
public static class AuthorizationErrors
{
    /// <summary>The request is missing a parameter, repeats one, or is otherwise malformed (RFC 6749 §4.1.2.1).</summary>
    public const string InvalidRequest = "invalid_request";
    /// <summary>The client may not use this response type or grant (RFC 6749 §4.1.2.1).</summary>
    public const string UnauthorizedClient = "unauthorized_client";
    /// <summary>The user or the server refused the request (RFC 6749 §4.1.2.1).</summary>
    public const string AccessDenied = "access_denied";
    /// <summary>A <c>response_type</c> other than <c>code</c> (RFC 6749 §4.1.2.1; OAuth 2.1 has no implicit grant).</summary>
    public const string UnsupportedResponseType = "unsupported_response_type";
    /// <summary>A scope that is unknown, malformed or not allowed for the client (RFC 6749 §4.1.2.1).</summary>
    public const string InvalidScope = "invalid_scope";
    /// <summary>The server failed unexpectedly (RFC 6749 §4.1.2.1); a redirect cannot carry a 500.</summary>
    public const string ServerError = "server_error";
    /// <summary>The server cannot answer now (a store outage); the client may try again later (RFC 6749 §4.1.2.1).</summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";

    /// <summary>OIDC Core §3.1.2.6: <c>prompt=none</c> and the user is not signed in (or must sign in again).</summary>
    public const string LoginRequired = "login_required";

    /// <summary>OIDC Core §3.1.2.6: <c>prompt=none</c> and the user has not consented yet.</summary>
    public const string ConsentRequired = "consent_required";

    /// <summary>OIDC Core §3.1.2.6: <c>prompt=none</c> and some other page would have to be shown.</summary>
    public const string InteractionRequired = "interaction_required";

    /// <summary>OIDC Core §3.1.2.6: a <c>request</c> object (JAR) was sent; Tessera does not take them.</summary>
    public const string RequestNotSupported = "request_not_supported";

    /// <summary>OIDC Core §3.1.2.6: a <c>request_uri</c> Tessera did not issue (it only knows its own PAR URIs, when enabled).</summary>
    public const string RequestUriNotSupported = "request_uri_not_supported";
}
