using Tessera.Sessions;

namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// What stands in for the current password on a passwordless account: a session that signed in
/// with a passkey (its <c>amr</c> holds <c>hwk</c> or <c>swk</c>) no longer ago than
/// <see cref="TesseraPasskeyOptions.RecentSignIn"/> (ten minutes by default). Setting a password
/// again (<c>POST /auth/password</c>) and deleting the account (<c>DELETE /auth/me</c>) ask for it.
/// </summary>
public static class PasswordlessRules
{
    /// <summary>Whether <paramref name="session"/> signed in with a passkey within <paramref name="recent"/> of <paramref name="now"/>.</summary>
    public static bool IsRecentPasskeySignIn(SessionRecord session, DateTimeOffset now, TimeSpan recent)
    {
        ArgumentNullException.ThrowIfNull(session);
        return IsPasskey(session.AuthenticationMethods) && now - (session.AuthenticatedAt ?? session.CreatedAt) <= recent;
    }

    /// <summary>Whether the recorded <c>amr</c> values are a passkey sign-in's (<see cref="AuthenticationMethodValues.Passkey"/>).</summary>
    public static bool IsPasskey(string? authenticationMethods) =>
        AuthenticationMethodValues.Split(authenticationMethods).Any(v => v is AuthenticationMethodValues.HardwareKey or AuthenticationMethodValues.SoftwareKey);
}
