namespace Tessera.Sessions;

/// <summary>Why a session was revoked, as stored and shown in audits.</summary>
public static class RevocationReasons
{
    /// <summary>The user signed out of this session.</summary>
    public const string SignedOut = "signed_out";
    /// <summary>A new sign-in on the same client replaced this session (session fixation defence).</summary>
    public const string Replaced = "replaced_at_sign_in";
    /// <summary>The user ended this session from another one (the device list).</summary>
    public const string EndedByUser = "ended_by_user";
    /// <summary>The user signed out every other device.</summary>
    public const string OtherDevicesSignedOut = "other_devices_signed_out";
    /// <summary>The user signed out everywhere, this session included.</summary>
    public const string SignedOutEverywhere = "signed_out_everywhere";
    /// <summary>A request broke the session's binding (address or user agent) and the policy is to revoke.</summary>
    public const string BindingMismatch = "binding_mismatch";
    /// <summary>A refresh token already rotated away was presented again: the token may be stolen, so the session ends.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";
    /// <summary>The user's password changed; every other session ends.</summary>
    public const string PasswordChanged = "password_changed";

    /// <summary>The user withdrew their consent to the session's client (<c>DELETE /auth/consents/{clientId}</c>).</summary>
    public const string ConsentRevoked = "consent_revoked";

    /// <summary>The client asked to end the session (OpenID Connect RP-Initiated Logout 1.0).</summary>
    public const string LoggedOutByClient = "logged_out_by_client";

    /// <summary>The user signed in once more than <see cref="TesseraSessionOptions.MaxSessionsPerUser"/> allows: the oldest session ended.</summary>
    public const string SessionLimit = "session_limit";

    /// <summary>An administrator ended the session (the admin API, <c>tessera session end</c>).</summary>
    public const string EndedByAdmin = "ended_by_admin";

    /// <summary>An administrator disabled the account: every session ended with it.</summary>
    public const string AccountDisabled = "account_disabled";

    /// <summary>The account was deleted (by its user or an administrator): every session ended with it.</summary>
    public const string AccountDeleted = "account_deleted";
}
