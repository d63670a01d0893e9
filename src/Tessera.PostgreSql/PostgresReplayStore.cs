using Npgsql;
using Tessera.Replay;
using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// Single-use marks (a DPoP proof's <c>jti</c>, RFC 9449 §11.1; a client assertion's <c>jti</c>,
/// RFC 7523 §3; a passkey challenge) in PostgreSQL, so a mark taken at one instance is refused at
/// every other that shares the database. Without it, a PostgreSQL-backed cluster kept its marks in
/// each process's memory and a captured proof or assertion could be replayed once per instance.
/// </summary>
/// <remarks>
/// One statement takes a mark: <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c> the existing mark has
/// ended. PostgreSQL decides a conflicting insert atomically, so of two instances taking the same
/// mark at once exactly one sees a row changed. Ended marks are deleted in batches (up to ten of 10,000 while batches come back full), at most once per
/// <see cref="PurgeInterval"/> per instance, on the connection that took a mark. Times come from
/// the <see cref="TimeProvider"/> of the instance (as every other Tessera table's); instances whose
/// clocks disagree by more than a mark's lifetime could end one early, as they would a session.
/// An outage throws <see cref="Tessera.Stores.StoreUnavailableException"/>: a proof is then not
/// accepted (fail closed).
/// </remarks>
public sealed class PostgresReplayStore(PostgresDatabase database, TimeProvider time) : IReplayStore
{
    /// <summary>The migration module of the marks' table, apart from Tessera's own <see cref="TesseraPostgresSchema.Module"/>.</summary>
    public const string Module = "replay";

    /// <summary>How often an instance deletes ended marks.</summary>
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    private const int PurgeBatch = 10_000;

    // The existing row is replaced only when its mark ended; a live one makes the statement change nothing.
    private const string Mark = """
        INSERT INTO replay_marks (key, expires_at) VALUES (@key, @until)
        ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE replay_marks.expires_at <= @now
        """;

    // The outer condition is checked again on the row it deletes: a mark re-taken (its expires_at moved
    // on by Mark's DO UPDATE) after the subquery chose it must not be deleted, or its proof is accepted twice.
    private const string Purge = """
        DELETE FROM replay_marks WHERE key IN (SELECT key FROM replay_marks WHERE expires_at <= @now LIMIT @batch) AND expires_at <= @now
        """;

    // At most this many batches per purge: a backlog larger than PurgeBatch is cleared within one turn,
    // and a purge still never holds the connection for long.
    private const int PurgeBatches = 10;

    private long _nextPurgeTicks;

    /// <summary>The marks' table, applied with Tessera's by <c>AddTesseraPostgres</c>.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new(Module, 1, "single-use marks: DPoP proofs, client assertions, passkey challenges", """
            CREATE TABLE replay_marks (
                key        text        NOT NULL PRIMARY KEY,
                expires_at timestamptz NOT NULL
            );
            CREATE INDEX replay_marks_expires_at ON replay_marks (expires_at);
            """),
    ];

    /// <inheritdoc />
    public ValueTask<bool> TryMarkAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        TimeSpan checkedLifetime = ReplayMarkLifetime.Of(key, lifetime);
        DateTimeOffset now = Clock.Now(time);
        DateTimeOffset until = now + checkedLifetime;
        bool purge = TakePurgeTurn(now);
        return database.RunAsync(async (connection, ct) =>
        {
            bool taken = await connection.Command(Mark).With("key", key).With("until", until).With("now", now).ExecuteAsync(ct).ConfigureAwait(false) == 1;
            for (int batch = 0; purge && batch < PurgeBatches; batch++)
            {
                // A batch shorter than full means nothing ended is left.
                purge = await connection.Command(Purge).With("now", now).With("batch", PurgeBatch).ExecuteAsync(ct).ConfigureAwait(false) == PurgeBatch;
            }

            return taken;
        }, cancellationToken);
    }

    /// <summary>Deletes every ended mark (tests, maintenance); returns how many.</summary>
    public ValueTask<int> PurgeAsync(CancellationToken cancellationToken) =>
        database.RunAsync((connection, ct) =>
            connection.Command("DELETE FROM replay_marks WHERE expires_at <= @now").With("now", Clock.Now(time)).ExecuteAsync(ct), cancellationToken);

    // One caller per interval wins the purge.
    private bool TakePurgeTurn(DateTimeOffset now)
    {
        long next = Interlocked.Read(ref _nextPurgeTicks);
        return now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextPurgeTicks, now.UtcTicks + PurgeInterval.Ticks, next) == next;
    }
}
