namespace Tessera.Audit;

/// <summary>
/// One security event as the audit log keeps it: who did what to whom, from where, and how it
/// ended. Never a secret: no password, token, session secret or request body goes here; a session
/// is named by its public handle (the <c>sid</c>), a user by their id.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>The store's position of the event: 0 until appended, then unique and growing, the cursor for paging back in time.</summary>
    public long Sequence { get; init; }

    /// <summary>When it happened (from the <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What happened: one of <see cref="AuditEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>
    /// Who did it: a user id (the user themself, or an admin), <see cref="AuditActors.Cli"/> for the
    /// command-line tool, <see cref="AuditActors.System"/> for the server on its own; null when the
    /// caller is not known (a failed sign-in).
    /// </summary>
    public string? ActorId { get; init; }

    /// <summary>The account the event is about, when there is one.</summary>
    public string? UserId { get; init; }

    /// <summary>The session's public handle (the <c>sid</c>), when the event is about one.</summary>
    public string? SessionId { get; init; }

    /// <summary>The OAuth client involved, when there is one.</summary>
    public string? ClientId { get; init; }

    /// <summary>The caller's address as the server saw it (after trusted forwarded headers), when known.</summary>
    public string? Address { get; init; }

    /// <summary>How it ended in a word or a code: <c>ok</c>, an error code, a revocation reason, an HTTP status.</summary>
    public string? Outcome { get; init; }

    /// <summary>A short, secret-free detail: the admin action's name, the attempted username's normalized form on a failed sign-in.</summary>
    public string? Detail { get; init; }
}

/// <summary>Actors that are not users.</summary>
public static class AuditActors
{
    /// <summary>The <c>tessera</c> command-line tool, working on the stores directly.</summary>
    public const string Cli = "cli";

    /// <summary>The server on its own (expiry, a session limit, reuse detection).</summary>
    public const string System = "system";
}
