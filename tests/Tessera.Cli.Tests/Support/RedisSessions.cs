using StackExchange.Redis;
using Tessera.Redis;
using Tessera.Sessions;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// What the <c>--redis</c> session command tests set up: a server data folder for the users, a
/// connection to the test's Redis (one server, or a cluster with key layout v2), and the server's
/// session core over a Redis store with a prefix of its own, to sign users in and check what the
/// CLI ended.
/// </summary>
internal sealed class RedisSessions : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisSessionStoreOptions _options;

    private RedisSessions(ServerDataFolder data, IConnectionMultiplexer connection, RedisSessionStoreOptions options)
    {
        Data = data;
        _connection = connection;
        _options = options;
        Sessions = new SessionService(new RedisSessionStore(connection, options, TimeProvider.System), new TesseraSessionOptions(), TimeProvider.System);
    }

    public ServerDataFolder Data { get; }

    /// <summary>The key prefix of this test's sessions (<c>--redis-prefix</c>).</summary>
    public string Prefix => _options.KeyPrefix;

    public SessionService Sessions { get; }

    public static async Task<RedisSessions> CreateAsync(string configuration, bool cluster)
    {
        ServerDataFolder data = await ServerDataFolder.CreateAsync();
        try
        {
            IConnectionMultiplexer connection = await TesseraRedisConnection.ConnectAsync(configuration);
            return new RedisSessions(data, connection, new RedisSessionStoreOptions { KeyPrefix = $"cli{Guid.NewGuid():N}:", Cluster = cluster });
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Whether the store's revocation list (what a resource server reads) holds <paramref name="handle"/>.</summary>
    public async Task<bool> IsRevokedAsync(string handle) =>
        await new RedisSessionRevocationList(_connection, _options).IsRevokedAsync(handle, default);

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        Data.Dispose();
    }
}
