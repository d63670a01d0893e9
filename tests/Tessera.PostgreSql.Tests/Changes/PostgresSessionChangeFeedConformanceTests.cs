using Npgsql;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;

namespace Tessera.PostgreSql.Tests.Changes;

/// <summary>
/// The feed conformance suite on PostgreSQL: each instance has its own pool (its store and
/// <c>PublishAsync</c>) and its own listening connection; a broken connection is the listener's
/// server process ended with <c>pg_terminate_backend</c>.
/// </summary>
public sealed class PostgresSessionChangeFeedConformanceTests(PostgresServer server) : SessionChangeFeedConformanceTests, IClassFixture<PostgresServer>
{
    private TemporaryDatabase? _database;

    private TemporaryDatabase Database => _database ?? throw new InvalidOperationException("The database is created in CreateBackendAsync.");

    protected override async ValueTask CreateBackendAsync() => _database = await TemporaryDatabase.CreateAsync(server);

    protected override ValueTask<SessionChangeFeedInstance> OpenInstanceAsync() => ValueTask.FromResult(PostgresFeeds.Open(Database));

    protected override async ValueTask BreakConnectionAsync(SessionChangeFeedInstance instance) =>
        await PostgresFeeds.TerminateListenerAsync(Database, (PostgresSessionChangeFeed)instance.Feed);

    protected override async ValueTask<IAsyncDisposable> ListenToRawPayloadsAsync(Action<string> payload) =>
        await RawChannelListener.StartAsync(Database.ConnectionString, payload);

    protected override ValueTask DisposeBackendAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
