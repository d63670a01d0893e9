using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Sessions;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>Tessera:Redis:Cluster through the service registration: the store it builds uses the cluster layout, and a braced prefix fails the start.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterRegistrationTests(RedisClusterFixture cluster)
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");

    [Fact]
    public async Task TheRegisteredStoreRunsOnTheClusterWithTheClusterLayout()
    {
        string prefix = RedisFixture.UniquePrefix();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTesseraRedisSessions(o =>
        {
            o.Configuration = cluster.Cluster.Configuration;
            o.KeyPrefix = prefix;
            o.Cluster = true;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var sessions = new SessionService(provider.GetRequiredService<ISessionStore>(), new TesseraSessionOptions(), TimeProvider.System);

        IssuedSession issued = await sessions.CreateAsync("user-1", Laptop, CancellationToken.None);

        Assert.True((await sessions.ValidateAsync(issued.Secret, Laptop, CancellationToken.None)).Succeeded);
        List<string> keys = await RedisClusterFixture.KeysAsync(cluster.Connection, prefix);
        Assert.Contains(prefix + "v2:s:{" + issued.Session.Handle + "}", keys);
        Assert.All(keys, key => Assert.StartsWith(prefix + "v2:", key, StringComparison.Ordinal));
    }

    [Fact]
    public void ABracedPrefixWithTheClusterLayoutFailsTheStart()
    {
        var services = new ServiceCollection();
        services.AddTesseraRedisSessions(o =>
        {
            o.Configuration = cluster.Cluster.Configuration;
            o.KeyPrefix = "{tessera}:";
            o.Cluster = true;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TesseraRedisOptions>>().Value);
        Assert.Contains("Tessera:Redis:KeyPrefix", refused.Message, StringComparison.Ordinal);
    }
}
