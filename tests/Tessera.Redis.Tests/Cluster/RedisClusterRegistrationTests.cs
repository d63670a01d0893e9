using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tessera.Sessions;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>Tessera:Redis:Cluster through the service registration: the store it builds uses the cluster layout, a braced prefix or a sub-millisecond WAIT fails the start, and the container closes the sign-in's WAIT connection.</summary>
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

    [Fact]
    public void AWaitTimeoutUnderOneMillisecondFailsTheStart()
    {
        // WAIT counts whole milliseconds, and WAIT n 0 would block the sign-in forever.
        var services = new ServiceCollection();
        services.AddTesseraRedisSessions(o =>
        {
            o.Configuration = cluster.Cluster.Configuration;
            o.Cluster = true;
            o.ClusterUserIndexReplicaTimeout = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2);
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TesseraRedisOptions>>().Value);
        Assert.Contains("Tessera:Redis:ClusterUserIndexReplicaTimeout", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingTheContainerClosesTheSignInsWaitConnection()
    {
        string name = "wait-close-" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTesseraRedisSessions(o =>
        {
            o.Configuration = cluster.Cluster.Configuration + ",name=" + name;
            o.KeyPrefix = RedisFixture.UniquePrefix();
            o.Cluster = true;
        });
        ServiceProvider provider = services.BuildServiceProvider();
        var sessions = new SessionService(provider.GetRequiredService<ISessionStore>(), new TesseraSessionOptions(), TimeProvider.System);
        await sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        await using IConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(TesseraRedisConnection.Options(cluster.Cluster.Configuration + ",allowAdmin=true"));
        Assert.True(await WaitClientConnectedAsync(admin, name), "The sign-in made no WAIT connection.");

        await provider.DisposeAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await WaitClientConnectedAsync(admin, name))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    // Whether a client named after the store's connection plus "-wait" is connected to any primary.
    private static async Task<bool> WaitClientConnectedAsync(IConnectionMultiplexer admin, string name)
    {
        foreach (IServer server in admin.GetServers().Where(s => !s.IsReplica))
        {
            string clients = (string)(await server.ExecuteAsync("CLIENT", "LIST"))!;
            if (clients.Contains(" name=" + name + "-wait ", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
