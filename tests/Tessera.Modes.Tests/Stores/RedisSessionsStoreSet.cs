using Microsoft.Extensions.DependencyInjection;
using Tessera.Redis;

namespace Tessera.Modes.Tests.Stores;

/// <summary>
/// Sessions in Redis through its public registration (a key prefix of their own per host, on the
/// collection's server at <paramref name="configuration"/>), users and signing keys in the <paramref name="main"/> set.
/// </summary>
public sealed class RedisSessionsStoreSet(StoreSet main, string configuration) : StoreSet
{
    public override string Name => $"redis+{main.Name}";

    public override async Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        IAsyncDisposable? mainResources = await main.AddStoresAsync(services, time);
        services.AddTesseraRedisSessions(options =>
        {
            options.Configuration = configuration;
            options.KeyPrefix = $"modes:{Guid.NewGuid():N}:";
        });
        return mainResources;
    }
}
