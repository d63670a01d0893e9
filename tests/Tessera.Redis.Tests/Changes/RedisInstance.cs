using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Redis.Tests.Changes;

/// <summary>
/// One server instance's view of a shared Redis, as production wires it: its own connection
/// (multiplexer), the store, the pub/sub feed, the near cache in front of the store and the pushed
/// revocation list over the Redis one.
/// </summary>
internal sealed class RedisInstance : IAsyncDisposable
{
    private RedisInstance(IConnectionMultiplexer connection, RedisSessionStore store, RedisSessionChangeFeed feed,
        NearCachedSessionStore nearCache, PushedSessionRevocationList list, TimeProvider time)
    {
        Connection = connection;
        Store = store;
        Feed = feed;
        NearCache = nearCache;
        List = list;
        Sessions = new SessionService(nearCache, new TesseraSessionOptions(), time);
    }

    public IConnectionMultiplexer Connection { get; }

    public RedisSessionStore Store { get; }

    public RedisSessionChangeFeed Feed { get; }

    public NearCachedSessionStore NearCache { get; }

    public PushedSessionRevocationList List { get; }

    public SessionService Sessions { get; }

    public static async Task<RedisInstance> StartAsync(string configuration, string prefix, TimeProvider time, TimeSpan staleness, string name)
    {
        IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(configuration + ",name=" + name);
        var store = new RedisSessionStore(connection, new RedisSessionStoreOptions { KeyPrefix = prefix }, time);
        var feed = new RedisSessionChangeFeed(connection, prefix, staleness);
        store.TouchOrigin = feed.Origin; // as RedisChangesRegistration does: every touch goes through the near cache
        NearCachedSessionStore nearCache = NearCachedSessionStore.Create(store, feed, new SessionNearCacheOptions { EntryLifetime = TimeSpan.FromMinutes(1) }, time);
        var redisList = new RedisSessionRevocationList(connection, prefix);
        var list = new PushedSessionRevocationList(feed, redisList, redisList, new PushedRevocationListOptions(), time);
        return new RedisInstance(connection, store, feed, nearCache, list, time);
    }

    /// <summary>Waits until both the near cache and the revocation list answer from memory (the feed confirmed its subscription and the reload ran).</summary>
    public Task UntilLocalAsync() => Eventually.TrueAsync(() => Task.FromResult(NearCache.AnswersLocally && List.AnswersLocally), "the feed to connect and the list to load");

    public async ValueTask DisposeAsync()
    {
        List.Dispose();
        NearCache.Dispose();
        Feed.Dispose();
        await Connection.DisposeAsync();
    }
}

/// <summary>Bounded polls: the wait for a push or a reconnect. Hang guards, not timing assertions.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await SafelyAsync(condition))
        {
            Assert.True(clock.Elapsed < Limit, $"Waited {Limit} for {what}.");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> SafelyAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (Stores.StoreUnavailableException)
        {
            return false;
        }
    }
}
