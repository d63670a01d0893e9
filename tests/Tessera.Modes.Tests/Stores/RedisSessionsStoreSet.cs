using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using Tessera.Redis;
using Tessera.Sessions;

namespace Tessera.Modes.Tests.Stores;

/// <summary>
/// Sessions in Redis (a key prefix of their own per host, on the collection's server), users and
/// signing keys in the <paramref name="main"/> set. Wired by hand until <c>Tessera.Redis</c> has
/// its public <c>AddTesseraRedisSessions(...)</c>; then this class becomes that one call after the
/// main set's.
/// </summary>
public sealed class RedisSessionsStoreSet(StoreSet main, IConnectionMultiplexer redis) : StoreSet
{
    public override string Name => $"redis+{main.Name}";

    public override async Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        IAsyncDisposable? mainResources = await main.AddStoresAsync(services, time);
        var sessions = new RedisSessionStore(redis, new RedisSessionStoreOptions { KeyPrefix = $"modes:{Guid.NewGuid():N}:" }, time);
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sessions));
        return mainResources;
    }
}
