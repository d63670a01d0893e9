using System.Data.Common;
using Tessera.Audit;

namespace Tessera.Stores.Sql;

/// <summary>
/// The audit log in a SQL database's <c>audit_events</c> table, beside the rest of the data. The
/// sequence is the table's key, assigned by the database (SQLite <c>AUTOINCREMENT</c>, a PostgreSQL
/// identity), so it only grows and is never handed out twice; pages go newest first by it, and the
/// indexes on (user, seq), (actor, seq) and (type, seq) serve the filtered pages, the one on the time
/// the retention purge.
/// </summary>
public abstract class SqlAuditLog : IAuditLog
{
    /// <summary>The layout version of the rows this code writes.</summary>
    public const int CurrentFormatVersion = 1;

    private const string Columns = "seq, at, type, actor_id, user_id, session_id, client_id, address, outcome, detail, format";

    private readonly ISqlDatabase _database;

    /// <param name="database">Where the tables of the backend's migrations live.</param>
    protected SqlAuditLog(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    private SqlDialect Dialect => _database.Dialect;

    /// <inheritdoc />
    public async ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        AuditEventLimits.ThrowIfInvalid(auditEvent);
        long sequence = await _database.RunAsync((connection, ct) => connection.Command("""
                INSERT INTO audit_events (at, type, actor_id, user_id, session_id, client_id, address, outcome, detail, format)
                VALUES (@at, @type, @actor, @user, @session, @client, @address, @outcome, @detail, @format)
                RETURNING seq;
                """)
            .With("at", Dialect.Time(auditEvent.At)).With("type", auditEvent.Type).With("actor", auditEvent.ActorId)
            .With("user", auditEvent.UserId).With("session", auditEvent.SessionId).With("client", auditEvent.ClientId)
            .With("address", auditEvent.Address).With("outcome", auditEvent.Outcome).With("detail", auditEvent.Detail)
            .With("format", CurrentFormatVersion)
            .ReadFirstAsync(reader => reader.GetInt64(0), ct), cancellationToken).ConfigureAwait(false);
        return auditEvent with { Sequence = sequence };
    }

    /// <inheritdoc />
    public async ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        int limit = Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit);

        // Built from constant fragments: only the filters given, so the planner can pick the index
        // that matches (a filter on the user walks (user_id, seq) backwards from the cursor).
        var conditions = new List<string>(5);
        var parameters = new List<(string Name, object Value)>(5);
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                conditions.Add(condition);
                parameters.Add((name, value));
            }
        }

        Filter("user_id = @user", "user", query.UserId);
        Filter("actor_id = @actor", "actor", query.ActorId);
        Filter("type = @type", "type", query.Type);
        Filter("at >= @since", "since", query.Since is { } since ? Dialect.Time(since) : null);
        Filter("seq < @before", "before", query.Before);
        string where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        string sql = $"SELECT {Columns} FROM audit_events {where} ORDER BY seq DESC LIMIT @limit;";

        // One row more than the page says whether there is an older page.
        List<AuditEvent> rows = await _database.RunAsync((connection, ct) =>
        {
            DbCommand command = connection.Command(sql).With("limit", limit + 1);
            foreach ((string name, object value) in parameters)
            {
                command.With(name, value);
            }

            return command.ReadAllAsync(Read, ct);
        }, cancellationToken).ConfigureAwait(false);

        return rows.Count > limit
            ? new AuditPage(rows[..limit], rows[limit - 1].Sequence)
            : new AuditPage(rows, null);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => connection.Command("DELETE FROM audit_events WHERE at < @before;")
            .With("before", Dialect.Time(before)).ExecuteAsync(ct), cancellationToken);

    private AuditEvent Read(DbDataReader reader)
    {
        int format = reader.GetInt32(10);
        if (format != CurrentFormatVersion)
        {
            throw new StoreUnavailableException($"An audit event has format {format}, which this version cannot read.");
        }

        return new AuditEvent
        {
            Sequence = reader.GetInt64(0),
            At = Dialect.ReadTime(reader, 1),
            Type = reader.GetString(2),
            ActorId = reader.StringOrNull(3),
            UserId = reader.StringOrNull(4),
            SessionId = reader.StringOrNull(5),
            ClientId = reader.StringOrNull(6),
            Address = reader.StringOrNull(7),
            Outcome = reader.StringOrNull(8),
            Detail = reader.StringOrNull(9),
        };
    }
}
