namespace Tessera;

/// <summary>The stable error codes. Tests and clients assert these, never the message text.</summary>
public static class TesseraErrorCodes
{
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountLocked = "account_locked";
    public const string UsernameTaken = "username_taken";
    public const string ValidationFailed = "validation_failed";
    public const string RateLimited = "rate_limited";
    public const string Unauthenticated = "unauthenticated";
    public const string SessionExpired = "session_expired";
    public const string SessionRevoked = "session_revoked";
    public const string SessionNotFound = "session_not_found";
    public const string AttributeNotFound = "attribute_not_found";
    public const string AttributeLimitReached = "attribute_limit_reached";
    public const string CsrfRejected = "csrf_rejected";
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>The key ring holds a key this instance cannot decrypt (lost or unshared Data Protection keys).</summary>
    public const string KeyRingUnavailable = "key_ring_unavailable";
    public const string InvalidGrant = "invalid_grant";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string InvalidToken = "invalid_token";

    /// <summary>A credential would not fit in a cookie a browser keeps (RFC 6265 §6.1: 4096 bytes); nothing was sent.</summary>
    public const string CookieTooLarge = "cookie_too_large";

    /// <summary>The user has not allowed the application named (<c>DELETE /auth/consents/{clientId}</c>).</summary>
    public const string ConsentNotFound = "consent_not_found";
}
