using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Tessera.PostgreSql;
using Tessera.Redis;
using Tessera.Server.Tests.Tokens;
using Tessera.Sessions;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.Embedding;

/// <summary>
/// An app hosting Tessera on PostgreSQL with sessions in Redis, with <c>AddTesseraPostgres</c> and
/// <c>AddTesseraRedisSessions</c> alone: schema, both probes, sessions in Redis, the Data
/// Protection key ring in the database.
/// </summary>
public sealed class EmbeddedPostgresRedisHostTests(PostgresServer cluster) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly string _prefix = $"embedded:{Guid.NewGuid():N}:";
    private string? _connectionString;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connectionString = await cluster.CreateDatabaseAsync();
        _app = await EmbeddedHost.StartAsync(services =>
        {
            services.AddTesseraPostgres(_connectionString);
            services.AddTesseraRedisSessions(options =>
            {
                options.Configuration = _redis.Configuration;
                options.KeyPrefix = _prefix;
            });
            services.AddDataProtection().SetApplicationName("embedded-test");
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task HealthNamesBothStores()
    {
        JsonElement health = await (await _app!.Client().GetAsync("/healthz")).AssertOkJsonAsync();

        Assert.Equal(["postgres", "redis"], health.GetProperty("stores").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task SessionsLiveInRedisAndTheKeyRingInTheDatabase()
    {
        HttpClient client = _app!.Client();
        JsonElement tokens = await client.RegisterAndSignInForTokensAsync("alice");

        JsonElement me = await (await client.GetWithBearerAsync("/auth/me", tokens.Access())).AssertOkJsonAsync();

        Assert.Equal("alice", me.GetProperty("user").GetProperty("username").GetString());
        Assert.IsType<RedisSessionStore>(_app!.Services.GetRequiredService<ISessionStore>());
        IDatabase redis = _app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        Assert.True(await redis.KeyExistsAsync($"{_prefix}v1:s:{tokens.SessionId()}"));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys;", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= 1);
    }
}
