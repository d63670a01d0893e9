using Tessera.Sessions;
using Tessera.Stores.Conformance;

namespace Tessera.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreConformanceTests(RedisFixture redis) : SessionStoreConformanceTests
{
    protected override ValueTask<ISessionStore> CreateStoreAsync() =>
        ValueTask.FromResult<ISessionStore>(new RedisSessionStore(redis.Connection, new RedisSessionStoreOptions { KeyPrefix = RedisFixture.UniquePrefix() }, Time));
}
