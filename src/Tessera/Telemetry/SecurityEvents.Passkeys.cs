using Tessera.Passkeys;

namespace Tessera.Telemetry;

/// <summary>The passkey events (#16): sign-ins counted with the password ones, audited with the method.</summary>
public sealed partial class SecurityEvents
{
    /// <summary>A passkey sign-in succeeded for <paramref name="userId"/> with <paramref name="credentialId"/> (public, not a secret).</summary>
    public ValueTask PasskeySignInSucceededAsync(string userId, string credentialId)
    {
        TesseraMetrics.SignInAttempt(TesseraMetrics.Succeeded);
        return AppendAsync(Audit.AuditEventTypes.SignInSucceeded, actorId: userId, userId: userId, outcome: "ok", detail: PasskeyAuditEventTypes.Method + " " + Short(credentialId));
    }

    /// <summary>A passkey sign-in was refused with <paramref name="code"/>; <paramref name="userId"/> when the credential named an account.</summary>
    public ValueTask PasskeySignInFailedAsync(string code, string? userId)
    {
        TesseraMetrics.SignInAttempt(code);
        return AppendAsync(Audit.AuditEventTypes.SignInFailed, actorId: null, userId: userId, outcome: code, detail: PasskeyAuditEventTypes.Method);
    }

    /// <summary>A passkey event about <paramref name="credentialId"/> of <paramref name="userId"/>, done by <paramref name="actorId"/>.</summary>
    public ValueTask PasskeyEventAsync(string type, string userId, string? actorId, string? credentialId, string? sessionId = null, string outcome = "ok") =>
        AppendAsync(type, actorId: actorId, userId: userId, sessionId: sessionId, outcome: outcome, detail: credentialId is null ? null : Short(credentialId));

    // A credential id may be 1023 bytes (1364 base64url characters); its start names it well enough in an audit line.
    private static string Short(string credentialId) => credentialId.Length <= 128 ? credentialId : credentialId[..128];
}
