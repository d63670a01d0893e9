using Microsoft.Extensions.DependencyInjection;
using Tessera.Audit;
using Tessera.PostgreSql;
using Tessera.Redis;
using Tessera.Server.Tests.Postgres;
using Tessera.Sessions;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.AuditStorage;

/// <summary>With users in PostgreSQL and sessions in Redis, the audit log is in PostgreSQL, with the accounts.</summary>
public sealed class AuditStoreCompositionTests(PostgresServer cluster) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task AuditEventsGoToPostgresWhenSessionsLiveInRedis()
    {
        Dictionary<string, string?> settings = PostgresTestServer.Settings(await cluster.CreateDatabaseAsync());
        settings["Tessera:SessionStore"] = "redis";
        settings["Tessera:Redis:Configuration"] = _redis.Configuration;
        settings["Tessera:Redis:KeyPrefix"] = $"audit-test:{Guid.NewGuid():N}:";
        using var server = new TestServerFactory(settings);

        Assert.IsType<RedisSessionStore>(server.Services.GetRequiredService<ISessionStore>());
        IAuditLog log = server.Services.GetRequiredService<IAuditLog>();
        Assert.IsType<PostgresAuditLog>(log);
        AuditEvent stored = await log.AppendAsync(new AuditEvent { At = server.Time.GetUtcNow(), Type = AuditEventTypes.AdminAction, ActorId = AuditActors.Cli }, CancellationToken.None);
        Assert.Equal(stored, Assert.Single((await log.QueryAsync(new AuditQuery(), CancellationToken.None)).Events));
    }
}
