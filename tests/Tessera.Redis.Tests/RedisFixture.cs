using StackExchange.Redis;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests;

/// <summary>One real Redis for the test classes of the collection, and a connection to it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private IConnectionMultiplexer? _connection;

    public RedisServer Server { get; } = new();

    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        _connection = await TesseraRedisConnection.ConnectAsync(Server.Configuration);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    /// <summary>A key prefix no other test uses, so tests share the server without seeing each other's keys.</summary>
    public static string UniquePrefix() => $"test:{Guid.NewGuid():N}:";
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
