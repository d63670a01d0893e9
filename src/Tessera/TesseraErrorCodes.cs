namespace Tessera;

/// <summary>The stable error codes. Tests and clients assert these, never the message text.</summary>
public static class TesseraErrorCodes
{
    /// <summary>Unknown username or wrong password; the two are never told apart.</summary>
    public const string InvalidCredentials = "invalid_credentials";
    /// <summary>Too many failed sign-ins, or an administrator's lock: the account cannot sign in for now.</summary>
    public const string AccountLocked = "account_locked";
    /// <summary>Registration with a username someone already has.</summary>
    public const string UsernameTaken = "username_taken";
    /// <summary>The request's fields break a rule (length, format); the problem lists them.</summary>
    public const string ValidationFailed = "validation_failed";
    /// <summary>Too many requests from this client; retry after the time given.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>No credential, or one that matches no session.</summary>
    public const string Unauthenticated = "unauthenticated";
    /// <summary>The session passed its idle or absolute lifetime.</summary>
    public const string SessionExpired = "session_expired";
    /// <summary>The session was revoked (signed out, ended elsewhere, reuse detected).</summary>
    public const string SessionRevoked = "session_revoked";
    /// <summary>No such session among the user's own.</summary>
    public const string SessionNotFound = "session_not_found";
    /// <summary>No such session attribute.</summary>
    public const string AttributeNotFound = "attribute_not_found";
    /// <summary>The session already holds the maximum number of attributes.</summary>
    public const string AttributeLimitReached = "attribute_limit_reached";
    /// <summary>A state-changing request without a valid CSRF proof (cross-site, or the token missing).</summary>
    public const string CsrfRejected = "csrf_rejected";
    /// <summary>A store did not answer in time; the request may be retried (503).</summary>
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>The key ring holds a key this instance cannot decrypt (lost or unshared Data Protection keys).</summary>
    public const string KeyRingUnavailable = "key_ring_unavailable";
    /// <summary>An authorization code or refresh token that is invalid, expired, used up or issued to another client (RFC 6749 §5.2).</summary>
    public const string InvalidGrant = "invalid_grant";
    /// <summary>A refresh token already rotated away was presented again; the session has been revoked.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";
    /// <summary>An access token that is malformed, expired, badly signed or whose session ended (RFC 6750 §3.1).</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>A credential would not fit in a cookie a browser keeps (RFC 6265 §6.1: 4096 bytes); nothing was sent.</summary>
    public const string CookieTooLarge = "cookie_too_large";

    /// <summary>A credential cookie came twice in one request (cookie tossing from a sibling subdomain): refused, 400.</summary>
    public const string DuplicateCookie = "duplicate_cookie";

    /// <summary>The user has not allowed the application named (<c>DELETE /auth/consents/{clientId}</c>).</summary>
    public const string ConsentNotFound = "consent_not_found";

    // Client registration (OAuth/Registration): one code per invalid field, so an admin tool can point at it.
    /// <summary>A client id is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'.</summary>
    public const string ClientIdInvalid = "client_id_invalid";

    /// <summary>A display name is 1 to 100 characters without control characters.</summary>
    public const string ClientNameInvalid = "client_name_invalid";

    /// <summary>The client type is public or confidential (RFC 6749 §2.1).</summary>
    public const string ClientTypeInvalid = "client_type_invalid";

    /// <summary>The token endpoint auth method is unknown or does not fit the client type.</summary>
    public const string ClientAuthMethodInvalid = "client_auth_method_invalid";

    /// <summary>The JWK Set of a private_key_jwt client is missing, unparsable, holds private or secret keys, or no signing key.</summary>
    public const string ClientJwksInvalid = "client_jwks_invalid";

    /// <summary>A redirect URI breaks RFC 6749 §3.1.2 / RFC 8252 §7 (relative, fragment, userinfo, plain http off loopback…).</summary>
    public const string ClientRedirectUriInvalid = "client_redirect_uri_invalid";

    /// <summary>A post-logout redirect URI breaks the same rules as a redirect URI.</summary>
    public const string ClientPostLogoutUriInvalid = "client_post_logout_uri_invalid";

    /// <summary>A CORS origin is not of the form scheme://host[:port] as a browser sends it.</summary>
    public const string ClientCorsOriginInvalid = "client_cors_origin_invalid";

    /// <summary>The grant types are empty, unknown, or not allowed for the client type.</summary>
    public const string ClientGrantTypesInvalid = "client_grant_types_invalid";

    /// <summary>A scope is not one RFC 6749 §3.3 scope token.</summary>
    public const string ClientScopeInvalid = "client_scope_invalid";

    /// <summary>The ID token signing algorithm is not one Tessera signs ID tokens with.</summary>
    public const string ClientIdTokenAlgInvalid = "client_id_token_alg_invalid";

    /// <summary>A client secret given in configuration is not 43 base64url characters (256 bits), or the method takes none.</summary>
    public const string ClientSecretInvalid = "client_secret_invalid";

    /// <summary>Another client has this id.</summary>
    public const string ClientIdTaken = "client_id_taken";

    /// <summary>No OAuth client with that id.</summary>
    public const string ClientNotFound = "client_not_found";

    /// <summary>The client authenticates without a secret (none, private_key_jwt): there is nothing to rotate.</summary>
    public const string ClientSecretNotUsed = "client_secret_not_used";

    // Users' roles (Users/UserRoles) and the admin API.
    /// <summary>No user with that id.</summary>
    public const string UserNotFound = "user_not_found";

    /// <summary>An administrator disabled the account: it cannot sign in until enabled again.</summary>
    public const string AccountDisabled = "account_disabled";

    /// <summary>A role name breaks <see cref="Users.RoleNames"/> (1 to 64 printable ASCII characters, no space, '"' or '\\'), or there are too many.</summary>
    public const string RoleInvalid = "role_invalid";

    /// <summary>The admin API needs a first-party sign-in of a user with the admin role.</summary>
    public const string AdminRequired = "admin_required";

    /// <summary>An admin tried to lock, disable or delete their own account through the admin API: that could leave nobody able to administer the server.</summary>
    public const string AdminSelfAction = "admin_self_action";


    /// <summary>The user's account API was called with a token issued to an OAuth client, which acts only within the scope it was granted.</summary>
    public const string FirstPartySessionRequired = "first_party_session_required";

    // OpenID Connect ID tokens (src/Tessera/OAuth/IdTokens).

    /// <summary>A client's <c>id_token_signed_response_alg</c> is not one of the configured ID-token algorithms (TesseraTokenOptions.IdTokenAlgorithms).</summary>
    public const string IdTokenAlgorithmUnavailable = "id_token_algorithm_unavailable";

    /// <summary>An <c>id_token_hint</c> that is not an ID token this server issued (OpenID Connect RP-Initiated Logout 1.0 §2); the reason holds the JOSE code.</summary>
    public const string IdTokenHintInvalid = "id_token_hint_invalid";


    // OAuth provider grants (#12): RFC 6749 §5.2 / RFC 7009 §2.2.1 errors the domain raises itself.

    /// <summary>RFC 6749 §5.2: the requested scope is unknown, not allowed, or wider than what was granted.</summary>
    public const string InvalidScope = "invalid_scope";

    /// <summary>RFC 6749 §5.2: the client may not use this grant type (or act on this token).</summary>
    public const string UnauthorizedClient = "unauthorized_client";

    /// <summary>RFC 7009 §2.2.1: this kind of token cannot be revoked (an access token naming no session).</summary>
    public const string UnsupportedTokenType = "unsupported_token_type";

    // Password hashing and checks (#14).

    /// <summary>Every password-hashing slot stayed busy (PasswordHashingLimits): try again after <c>Retry-After</c>.</summary>
    public const string ServerBusy = "server_busy";

    /// <summary>The opt-in breached-password check could not answer and is configured to fail closed.</summary>
    public const string BreachCheckUnavailable = "breach_check_unavailable";

    // #16 dpop-resource

    /// <summary>A policy with <c>RequireDpop()</c> refused a request authenticated otherwise than by a DPoP-bound token and its proof (RFC 9449 §7.1); 403 with a <c>DPoP</c> challenge.</summary>
    public const string DpopRequired = "dpop_required";
}
