using StackExchange.Redis;
using Tessera.Stores.Conformance.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Changes;

/// <summary>
/// The feed conformance suite on Redis: each instance has its own connection (multiplexer), named
/// so the test can find it; a fresh key prefix is the fresh backend; a broken connection is the
/// instance's subscriber killed with <c>CLIENT KILL ID</c>.
/// </summary>
public sealed class RedisSessionChangeFeedConformanceTests(RedisServer server) : SessionChangeFeedConformanceTests, IClassFixture<RedisServer>
{
    private readonly Dictionary<SessionChangeFeedInstance, string> _names = [];
    private string _prefix = "";

    protected override ValueTask CreateBackendAsync()
    {
        _prefix = RedisFixture.UniquePrefix();
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask<SessionChangeFeedInstance> OpenInstanceAsync()
    {
        string name = "feed-" + Guid.NewGuid().ToString("N");
        IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync($"{server.Configuration},name={name}");
        var store = new RedisSessionStore(connection, new RedisSessionStoreOptions { KeyPrefix = _prefix }, Time);
        var feed = new RedisSessionChangeFeed(connection, _prefix);
        var instance = new SessionChangeFeedInstance(store, feed, async () =>
        {
            feed.Dispose();
            await connection.DisposeAsync();
        });
        _names[instance] = name;
        return instance;
    }

    protected override async ValueTask BreakConnectionAsync(SessionChangeFeedInstance instance)
    {
        await using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync($"{server.Configuration},allowAdmin=true");
        IServer redis = admin.GetServer(admin.GetEndPoints()[0]);
        ClientInfo[] clients = await redis.ClientListAsync();
        ClientInfo[] subscribers = [.. clients.Where(c => c.Name == _names[instance] && (c.SubscriptionCount > 0 || c.ClientType == ClientType.PubSub))];
        Assert.NotEmpty(subscribers);
        foreach (ClientInfo subscriber in subscribers)
        {
            await redis.ExecuteAsync("CLIENT", "KILL", "ID", subscriber.Id);
        }
    }

    protected override async ValueTask<IAsyncDisposable> ListenToRawPayloadsAsync(Action<string> payload)
    {
        IConnectionMultiplexer tap = await TesseraRedisConnection.ConnectAsync(server.Configuration);
        ChannelMessageQueue queue = await tap.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_prefix + RedisKeys.LayoutVersion + "changes"));
        queue.OnMessage(message => payload(message.Message!));
        return tap;
    }
}
