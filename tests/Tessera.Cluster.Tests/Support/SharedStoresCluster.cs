using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Support;

/// <summary>
/// The cluster: three instances sharing one PostgreSQL database (users, signing keys,
/// data-protection keys, shop) and one Redis (sessions), behind nginx running
/// docs/nginx/round-robin.conf. Signing keys rotate every 12 s (published 4 s before they sign,
/// re-read every second), so every test runs across key rotations. One per test collection:
/// tests that stop a part start it again before they end.
/// </summary>
public sealed class SharedStoresCluster : IAsyncLifetime
{
    public const string Issuer = "http://tessera.cluster.test";

    /// <summary>
    /// Per-client limits the whole cluster shares (through Redis): above what the other tests send
    /// from 127.0.0.1 in a minute, low enough for <see cref="SharedRateLimitTests"/> to exhaust
    /// quickly from addresses of their own.
    /// </summary>
    public const int SignInPerClient = 25;

    public const int TokenPerClient = 40;

    public const int SignInPerAccount = 8;

    private PostgresServer? _postgres;
    private RedisServer? _redis;
    private BalancedCluster? _cluster;

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("Not started.");

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public BalancedCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public string DatabaseConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _redis = new RedisServer();
        Task redis = _redis.StartAsync();
        _postgres = await PostgresServer.StartNewAsync();
        DatabaseConnectionString = await _postgres.CreateDatabaseAsync();
        await redis;

        // The instances start together on an empty database, as a fresh deployment would.
        _cluster = await BalancedCluster.StartAsync(NginxConfig.RoundRobin, 3, new Dictionary<string, string>
        {
            ["Tessera:Store"] = "postgres",
            ["Tessera:Postgres:ConnectionString"] = DatabaseConnectionString,
            ["Tessera:SessionStore"] = "redis",
            ["Tessera:Redis:Configuration"] = _redis.Configuration,
            // One issuer whichever address a request came to (the balancer's or an instance's own).
            ["Tessera:Tokens:Issuer"] = Issuer,
            ["Tessera:Tokens:KeyRotationInterval"] = "00:00:12",
            ["Tessera:Tokens:KeyPublicationLead"] = "00:00:04",
            ["Tessera:Tokens:KeyRingRefreshInterval"] = "00:00:01",
            ["Tessera:RateLimits:SignInPerClient:PermitLimit"] = SignInPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tessera:RateLimits:SignInPerAccount:PermitLimit"] = SignInPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tessera:RateLimits:TokenPerClient:PermitLimit"] = TokenPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>The tests that share one <see cref="SharedStoresCluster"/>; they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SharedStoresCollection : ICollectionFixture<SharedStoresCluster>
{
    public const string Name = "shared stores";
}
