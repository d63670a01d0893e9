using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Sessions;
using Tessera.Sessions.Changes;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Changes;

/// <summary>Tessera:Redis:NearCache: off by default (every read and check asks Redis), on when enabled, refused when unusable.</summary>
public sealed class NearCacheRegistrationTests(RedisServer server) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ByDefaultTheStoreAndTheListAskRedisEveryTime()
    {
        await using ServiceProvider services = Build(_ => { });

        Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());
        Assert.Null(services.GetRequiredService<RedisSessionStore>().TouchOrigin); // no near cache: every echo counts
        Assert.IsType<RedisSessionRevocationList>(services.GetRequiredService<ISessionRevocationList>());
    }

    [Fact]
    public async Task EnabledTheStoreIsNearCachedWithItsCapabilitiesAndTheListIsPushed()
    {
        await using ServiceProvider services = Build(o => o.NearCache.Enabled = true);

        ISessionStore store = services.GetRequiredService<ISessionStore>();
        Assert.IsAssignableFrom<NearCachedSessionStore>(store);
        Assert.IsAssignableFrom<ISessionSecretRotation>(store);
        Assert.IsAssignableFrom<ISessionListing>(store);
        // Its touches name the feed the near cache listens on, which does not hand their echo back.
        Assert.Equal(services.GetRequiredService<RedisSessionChangeFeed>().Origin, services.GetRequiredService<RedisSessionStore>().TouchOrigin);
        var list = Assert.IsType<PushedSessionRevocationList>(services.GetRequiredService<ISessionRevocationList>());
        await Eventually.TrueAsync(() => Task.FromResult(list.AnswersLocally), "the pushed list to load");
    }

    [Theory]
    [InlineData("EntryLifetime")]
    [InlineData("MaxEntries")]
    [InlineData("Staleness")]
    public async Task UnusableNearCacheOptionsAreRefused(string broken)
    {
        await using ServiceProvider services = Build(o =>
        {
            o.NearCache.Enabled = true;
            if (broken == "EntryLifetime")
            {
                o.NearCache.EntryLifetime = TimeSpan.Zero;
            }
            else if (broken == "MaxEntries")
            {
                o.NearCache.MaxEntries = 0;
            }
            else
            {
                o.NearCache.Staleness = TimeSpan.FromHours(1);
            }
        });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TesseraRedisOptions>>().Value);
    }

    private ServiceProvider Build(Action<TesseraRedisOptions> configure) =>
        new ServiceCollection()
            .AddTesseraRedisSessions(o =>
            {
                o.Configuration = server.Configuration;
                o.KeyPrefix = RedisFixture.UniquePrefix();
                configure(o);
            })
            .BuildServiceProvider();
}
