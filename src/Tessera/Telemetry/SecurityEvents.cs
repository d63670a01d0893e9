using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Audit;
using Tessera.Sessions;

namespace Tessera.Telemetry;

/// <summary>
/// The security points' one call: each method counts its metric and appends its
/// <see cref="AuditEvent"/> together, so the dashboard and the audit log never disagree about what
/// happened. An audit log that fails (a store outage) never fails the operation it records: the
/// loss is logged (event 9301) and counted (<c>tessera.audit.failures</c>), and the caller goes on.
/// Nothing secret is passed in: users by id, sessions by handle, a failed sign-in's name by digest.
/// </summary>
public sealed partial class SecurityEvents
{
    // Revocations the admin API and CLI audit themselves (admin.action, with the admin as actor).
    private static readonly HashSet<string> AdminReasons = new(StringComparer.Ordinal)
    {
        RevocationReasons.EndedByAdmin, RevocationReasons.AccountDisabled, RevocationReasons.AccountDeleted,
    };

    // Revocations the user asked for (signing out, ending a device, a new password, withdrawing consent).
    private static readonly HashSet<string> UserReasons = new(StringComparer.Ordinal)
    {
        RevocationReasons.SignedOut, RevocationReasons.Replaced, RevocationReasons.EndedByUser, RevocationReasons.OtherDevicesSignedOut,
        RevocationReasons.SignedOutEverywhere, RevocationReasons.PasswordChanged, RevocationReasons.ConsentRevoked, RevocationReasons.LoggedOutByClient,
    };

    private readonly IAuditLog? _audit;
    private readonly TimeProvider _time;
    private readonly ISecurityEventOrigin? _origin;
    private readonly ILogger _logger;

    /// <summary>Counts and audits into <paramref name="audit"/>; <paramref name="origin"/> names the caller's address.</summary>
    public SecurityEvents(IAuditLog audit, TimeProvider time, ISecurityEventOrigin? origin = null, ILogger<SecurityEvents>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        _audit = audit;
        _time = time;
        _origin = origin;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    private SecurityEvents(TimeProvider time)
    {
        _time = time;
        _logger = NullLogger.Instance;
    }

    /// <summary>Counts metrics and audits nothing: for domain services built without an audit log (tests, tools).</summary>
    public static SecurityEvents MetricsOnly { get; } = new(TimeProvider.System);

    /// <summary>Whether events go to an audit log (<see cref="MetricsOnly"/> does not): a caller may skip a read it needs only for the audit.</summary>
    public bool IsAuditing => _audit is not null;

    /// <summary>A password sign-in succeeded for <paramref name="userId"/>.</summary>
    public ValueTask SignInSucceededAsync(string userId)
    {
        TesseraMetrics.SignInAttempt(TesseraMetrics.Succeeded);
        return AppendAsync(AuditEventTypes.SignInSucceeded, actorId: userId, userId: userId, outcome: "ok");
    }

    /// <summary>
    /// A password sign-in was refused with <paramref name="code"/>. <paramref name="userId"/> is the
    /// account when the name is one; <paramref name="accountDigest"/> names the attempted name
    /// otherwise (the digest the lockout logs use), never the name itself: a "username" that matches
    /// no account is often a password typed in the wrong field.
    /// </summary>
    public ValueTask SignInFailedAsync(string code, string? userId, string? accountDigest)
    {
        TesseraMetrics.SignInAttempt(code);
        return AppendAsync(AuditEventTypes.SignInFailed, actorId: null, userId: userId, outcome: code, detail: userId is null ? accountDigest : null);
    }

    /// <summary>
    /// Failures reached the lockout for the account <paramref name="accountDigest"/> (and
    /// <paramref name="userId"/> when known): <paramref name="scope"/> <c>client</c> (one client now
    /// waits) or <c>account</c> (the account-wide ceiling). <paramref name="client"/> is the client's
    /// rate-limit partition (an address or an IPv6 /64), the thing that waits.
    /// </summary>
    public ValueTask LockedOutAsync(string? userId, string accountDigest, string client, string scope) =>
        AppendAsync(AuditEventTypes.LockedOut, actorId: null, userId: userId, outcome: scope, detail: accountDigest, address: _origin?.Address ?? client);

    /// <summary>A rotated-away refresh token of <paramref name="session"/> came back; the session was revoked.</summary>
    public ValueTask RefreshTokenReusedAsync(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        TesseraMetrics.ReuseDetected();
        return AppendAsync(AuditEventTypes.RefreshTokenReused, actorId: AuditActors.System, userId: session.UserId, sessionId: session.Handle, clientId: session.ClientId, outcome: RevocationReasons.RefreshTokenReused);
    }

    /// <summary>
    /// <paramref name="count"/> sessions of <paramref name="userId"/> ended for <paramref name="reason"/>
    /// (<paramref name="sessionId"/> when one). The actor follows from the reason: the user for what
    /// they asked, <see cref="AuditActors.System"/> for the server's own (reuse, the session limit, a
    /// broken binding). Revocations by an administrator are counted but not audited here: the admin
    /// API and the CLI audit their action with the admin as actor.
    /// </summary>
    public ValueTask SessionEndedAsync(string? userId, string? sessionId, string reason, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(reason);
        TesseraMetrics.SessionRevoked(reason, count);
        if (count <= 0 || AdminReasons.Contains(reason))
        {
            return ValueTask.CompletedTask;
        }

        string? actor = UserReasons.Contains(reason) ? userId : AuditActors.System;
        return AppendAsync(AuditEventTypes.SessionEnded, actorId: actor, userId: userId, sessionId: sessionId, outcome: reason, detail: sessionId is null ? $"{count} sessions" : null);
    }

    /// <summary>The account <paramref name="userId"/> was created by <paramref name="actorId"/> (the user, at registration).</summary>
    public ValueTask AccountCreatedAsync(string userId, string actorId) =>
        AppendAsync(AuditEventTypes.AccountCreated, actorId: actorId, userId: userId, outcome: "ok");

    /// <summary><paramref name="userId"/> changed their password from the session <paramref name="sessionId"/>.</summary>
    public ValueTask PasswordChangedAsync(string userId, string sessionId) =>
        AppendAsync(AuditEventTypes.PasswordChanged, actorId: userId, userId: userId, sessionId: sessionId, outcome: "ok");

    private async ValueTask AppendAsync(string type, string? actorId, string? userId, string? sessionId = null, string? clientId = null, string? outcome = null, string? detail = null, string? address = null)
    {
        if (_audit is null)
        {
            return;
        }

        var auditEvent = new AuditEvent
        {
            At = _time.GetUtcNow(),
            Type = type,
            ActorId = actorId,
            UserId = userId,
            SessionId = sessionId,
            ClientId = clientId,
            Address = address ?? _origin?.Address,
            Outcome = outcome,
            Detail = detail,
        };

        try
        {
            // Not the request's token: what happened is recorded even when the caller has gone.
            await _audit.AppendAsync(auditEvent, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the audit log throws, the sign-in (or sign-out) it records goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TesseraMetrics.AuditFailed(type);
            LogAuditFailed(_logger, type, userId, ex);
        }
    }

    [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message = "Audit event {Type} (user {UserId}) could not be stored; the operation went on")]
    private static partial void LogAuditFailed(ILogger logger, string type, string? userId, Exception exception);
}
