using StackExchange.Redis;
using Tessera.Redis;
using Tessera.Sessions;

namespace Tessera.Cli.Stores;

/// <summary>
/// The sessions of a server with <c>Tessera:SessionStore=redis</c>: its Redis, opened with the
/// server's own <see cref="RedisSessionStore"/> and connection settings, so that ending a session
/// here also puts it on the revocation list resource servers read. The store's retention and
/// revocation-list lifetime are the server's defaults (<see cref="RedisSessionStoreOptions"/>).
/// </summary>
internal sealed class RedisSessionAccess : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _connection;

    private RedisSessionAccess(IConnectionMultiplexer connection, ISessionStore sessions)
    {
        _connection = connection;
        Sessions = sessions;
    }

    /// <summary>The server's session store in Redis.</summary>
    public ISessionStore Sessions { get; }

    /// <summary>
    /// Connects to the Redis of <paramref name="configuration"/> (e.g. <c>127.0.0.1:6379</c>, or a
    /// cluster's nodes) and checks it answers; <paramref name="cluster"/> selects the server's
    /// <c>Tessera:Redis:Cluster</c> key layout.
    /// </summary>
    public static async Task<RedisSessionAccess> OpenAsync(string configuration, string keyPrefix, bool cluster, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw CliException.Usage("--redis names no Redis: give its configuration string, e.g. 127.0.0.1:6379");
        }

        if (string.IsNullOrEmpty(keyPrefix))
        {
            throw CliException.Usage("--redis-prefix must not be empty (the server's Tessera:Redis:KeyPrefix, 'tessera:' by default)");
        }

        var options = new RedisSessionStoreOptions { KeyPrefix = keyPrefix, Cluster = cluster };
        if (options.Problem() is string problem)
        {
            throw CliException.Usage($"--redis-prefix: {problem}");
        }

        IConnectionMultiplexer connection;
        try
        {
            connection = await TesseraRedisConnection.ConnectAsync(configuration);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage($"--redis: {ex.Message}");
        }

        try
        {
            // The server's connection does not wait for Redis; a command should fail now, clearly, instead.
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new CliException(CliErrorCodes.InputUnreadable, $"the Redis at --redis cannot be reached: {ex.Message}");
        }

        RedisSessionStore store;
        try
        {
            store = new RedisSessionStore(connection, options, time);
        }
        catch (ArgumentException) when (!cluster)
        {
            // The store refuses the single-instance layout on a cluster (its scripts would reach keys on other primaries).
            await connection.DisposeAsync();
            throw CliException.Usage("the Redis at --redis is a Redis Cluster: add --redis-cluster (a server with Tessera:Redis:Cluster=true), or give --redis-prefix a hash tag such as {tessera}:");
        }

        return new RedisSessionAccess(connection, store);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
