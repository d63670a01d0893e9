using Tessera.Audit;

namespace Tessera.InMemory;

/// <summary>
/// The audit log in process memory: for tests and single-process experiments. Bounded: past
/// <see cref="Capacity"/> events the oldest are dropped, so a flood of failed sign-ins cannot
/// exhaust memory.
/// </summary>
public sealed class InMemoryAuditLog(int capacity = InMemoryAuditLog.DefaultCapacity) : IAuditLog
{
    /// <summary>The default bound on kept events.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock _gate = new();
    private readonly LinkedList<AuditEvent> _events = new();
    private long _sequence;

    /// <summary>The most events kept.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <inheritdoc />
    public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        AuditEventLimits.ThrowIfInvalid(auditEvent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            AuditEvent stored = auditEvent with { Sequence = ++_sequence };
            _events.AddLast(stored);
            if (_events.Count > Capacity)
            {
                _events.RemoveFirst();
            }

            return ValueTask.FromResult(stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        int limit = Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit);
        List<AuditEvent> page = [];
        lock (_gate)
        {
            for (LinkedListNode<AuditEvent>? node = _events.Last; node is not null; node = node.Previous)
            {
                AuditEvent e = node.Value;
                if ((query.Before is { } before && e.Sequence >= before)
                    || (query.UserId is not null && e.UserId != query.UserId)
                    || (query.ActorId is not null && e.ActorId != query.ActorId)
                    || (query.Type is not null && e.Type != query.Type))
                {
                    continue;
                }

                if (query.Since is { } since && e.At < since)
                {
                    continue;
                }

                if (page.Count == limit)
                {
                    return ValueTask.FromResult(new AuditPage(page, page[^1].Sequence));
                }

                page.Add(e);
            }
        }

        return ValueTask.FromResult(new AuditPage(page, null));
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int removed = 0;
        lock (_gate)
        {
            for (LinkedListNode<AuditEvent>? node = _events.First; node is not null;)
            {
                LinkedListNode<AuditEvent>? next = node.Next;
                if (node.Value.At < before)
                {
                    _events.Remove(node);
                    removed++;
                }

                node = next;
            }
        }

        return ValueTask.FromResult(removed);
    }
}
