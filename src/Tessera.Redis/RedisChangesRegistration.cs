using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Redis;

/// <summary>
/// Registers the pushed pieces of #13 (<c>Tessera:Redis:NearCache</c>): the <see cref="RedisSessionChangeFeed"/>,
/// the near cache in front of the session store, and the <see cref="ISessionRevocationList"/> a
/// resource server's <c>sid</c> check reads (pushed when enabled, one EXISTS per check when not).
/// </summary>
public static class RedisChangesRegistration
{
    /// <summary>
    /// For a resource server that shares the issuer's Redis: registers the connection and the
    /// <see cref="ISessionRevocationList"/> (see <see cref="AddFeedAndRevocationList"/>). Hand it to
    /// the bearer handler with <c>services.AddOptions&lt;TesseraBearerOptions&gt;(scheme).Configure&lt;ISessionRevocationList&gt;((o, list) =&gt; o.RevocationList = list)</c>.
    /// </summary>
    public static IServiceCollection AddTesseraRedisRevocationList(this IServiceCollection services, Action<TesseraRedisOptions> configure)
    {
        TesseraRedisServiceCollectionExtensions.AddConnection(services, configure);
        AddFeedAndRevocationList(services);
        return services;
    }

    /// <summary>
    /// Registers the <see cref="RedisSessionChangeFeed"/> (as <see cref="ISessionChangeFeed"/>) and, unless one
    /// is registered, the <see cref="ISessionRevocationList"/>: a <see cref="PushedSessionRevocationList"/>
    /// over the Redis list when <c>Tessera:Redis:NearCache:Enabled</c>, else the Redis list itself.
    /// </summary>
    internal static void AddFeedAndRevocationList(IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            TesseraRedisOptions options = TesseraRedisServiceCollectionExtensions.Options(sp);
            return new RedisSessionChangeFeed(sp.GetRequiredService<IConnectionMultiplexer>(), options.KeyPrefix, options.NearCache.Staleness,
                sp.GetService<ILogger<RedisSessionChangeFeed>>(), options.Cluster);
        });
        services.TryAddSingleton<ISessionChangeFeed>(sp => sp.GetRequiredService<RedisSessionChangeFeed>());
        services.TryAddSingleton<ISessionRevocationList>(sp =>
        {
            TesseraRedisOptions options = TesseraRedisServiceCollectionExtensions.Options(sp);
            var list = new RedisSessionRevocationList(sp.GetRequiredService<IConnectionMultiplexer>(), TesseraRedisServiceCollectionExtensions.StoreOptions(sp));
            if (!options.NearCache.Enabled)
            {
                return list;
            }

            TimeSpan lifetime = TesseraRedisServiceCollectionExtensions.StoreOptions(sp).RevocationListLifetime;
            return new PushedSessionRevocationList(sp.GetRequiredService<RedisSessionChangeFeed>(), list, list,
                new PushedRevocationListOptions { Lifetime = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromMinutes(16), MaxEntries = options.NearCache.RevocationListMaxEntries },
                sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<PushedSessionRevocationList>>());
        });
    }

    /// <summary><paramref name="store"/>, behind a near cache when <c>Tessera:Redis:NearCache:Enabled</c>.</summary>
    internal static ISessionStore SessionStore(IServiceProvider services, RedisSessionStore store)
    {
        TesseraRedisNearCacheOptions nearCache = TesseraRedisServiceCollectionExtensions.Options(services).NearCache;
        if (!nearCache.Enabled)
        {
            return store;
        }

        RedisSessionChangeFeed feed = services.GetRequiredService<RedisSessionChangeFeed>();
        // Every touch goes through this near cache, which updates its own copy: the echo need not drop it.
        store.TouchOrigin = feed.Origin;
        return NearCachedSessionStore.Create(store, feed,
            new SessionNearCacheOptions { EntryLifetime = nearCache.EntryLifetime, MaxEntries = nearCache.MaxEntries }, services.GetRequiredService<TimeProvider>());
    }
}
