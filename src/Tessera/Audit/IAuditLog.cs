namespace Tessera.Audit;

/// <summary>
/// Where security events are kept, with the rest of the data (the SQLite file, PostgreSQL). Append
/// only; read newest first. An unreachable store throws <see cref="Stores.StoreUnavailableException"/>.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends <paramref name="auditEvent"/> (its <see cref="AuditEvent.Sequence"/> is ignored and
    /// assigned by the store); returns the stored event. Throws <see cref="ArgumentException"/> for
    /// an event outside <see cref="AuditEventLimits"/> (Detail up to 1024 characters, the other
    /// fields up to 256, no NUL, well-formed UTF-16); within them, every field is stored exactly as given.
    /// </summary>
    ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>The events matching <paramref name="query"/>, newest first.</summary>
    ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes the events that happened before <paramref name="before"/> (retention); returns how many.</summary>
    ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>A filter over the audit log; every criterion given must match.</summary>
public sealed record AuditQuery
{
    /// <summary>The most events one page may hold.</summary>
    public const int MaxLimit = 500;

    /// <summary>Events about this account.</summary>
    public string? UserId { get; init; }

    /// <summary>Events done by this actor.</summary>
    public string? ActorId { get; init; }

    /// <summary>Events of this type (<see cref="AuditEventTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Events at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The paging cursor: only events with a smaller <see cref="AuditEvent.Sequence"/> (the previous page's <see cref="AuditPage.Next"/>).</summary>
    public long? Before { get; init; }

    /// <summary>At most this many events (1 to <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>One page of events, newest first; <see cref="Next"/> is the cursor of the next (older) page, null at the end.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, long? Next);
