using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tessera.Redis;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Tokens;

namespace Tessera.Server.Hosting;

/// <summary>
/// <c>Tessera:SessionStore = redis</c>: sessions move to Redis, everything else stays in the main
/// store. The choice is read when the store is first resolved (not while services are
/// registered), so every configuration source counts, test hosts' included.
/// </summary>
internal static class RedisSessionStoreRegistration
{
    // The bearer scheme's default clock skew: a resource server still accepts a token this long after its exp.
    private static readonly TimeSpan ResourceServerClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Call after the main store's registrations: wraps its <see cref="ISessionStore"/> with the choice.</summary>
    public static IServiceCollection AddSessionStoreChoice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionStoreSettings>()
            .Bind(configuration.GetSection(TesseraServerOptions.Section))
            .Configure(settings => configuration.GetSection("Tessera:Redis").Bind(settings.RedisStore))
            .Validate(settings => settings.Problem() is null, "Tessera:SessionStore is invalid: unset or 'redis'; with redis, Tessera:Redis:Configuration is required.")
            .ValidateOnStart();

        ServiceDescriptor main = services.Last(d => d.ServiceType == typeof(ISessionStore));
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp =>
            UsesRedis(sp) ? sp.GetRequiredService<RedisSessionStore>() : (ISessionStore)Create(main, sp)));

        services.AddSingleton(sp => TesseraRedisConnection.Connect(Settings(sp).RedisStore.Configuration!));
        services.AddSingleton(sp => new RedisSessionStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            new RedisSessionStoreOptions
            {
                KeyPrefix = Settings(sp).RedisStore.KeyPrefix,
                Retention = sp.GetRequiredService<IOptions<TesseraServerOptions>>().Value.SessionRetention,
                RevocationListLifetime = sp.GetRequiredService<IOptions<TesseraTokenOptions>>().Value.AccessTokenLifetime + ResourceServerClockSkew,
            },
            sp.GetRequiredService<TimeProvider>()));
        // Null when sessions stay in the main store: the health endpoint skips it.
        services.AddSingleton<IStoreHealthProbe>(sp => UsesRedis(sp) ? new RedisHealthProbe(sp.GetRequiredService<IConnectionMultiplexer>()) : null!);
        return services;
    }

    private static SessionStoreSettings Settings(IServiceProvider services) => services.GetRequiredService<IOptions<SessionStoreSettings>>().Value;

    private static bool UsesRedis(IServiceProvider services) => Settings(services).UsesRedis;

    private static object Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
