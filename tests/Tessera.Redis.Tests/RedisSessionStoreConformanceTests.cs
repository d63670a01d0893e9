using System.Net;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores.Conformance;

namespace Tessera.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreConformanceTests(RedisFixture redis) : SessionStoreConformanceTests
{
    private readonly string _prefix = RedisFixture.UniquePrefix();

    protected override ValueTask<ISessionStore> CreateStoreAsync() =>
        ValueTask.FromResult<ISessionStore>(new RedisSessionStore(redis.Connection, new RedisSessionStoreOptions { KeyPrefix = _prefix }, Time));

    protected override bool PurgeLeavesRevocationListEntries => true;

    protected override async ValueTask<long> StoredEntriesAsync()
    {
        long keys = 0;
        foreach (EndPoint endpoint in redis.Connection.GetEndPoints())
        {
            await foreach (RedisKey _ in redis.Connection.GetServer(endpoint).KeysAsync(pattern: _prefix + "*", pageSize: 500))
            {
                keys++;
            }
        }

        return keys;
    }
}
