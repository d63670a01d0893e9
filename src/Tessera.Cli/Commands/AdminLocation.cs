using System.CommandLine;
using Tessera.Cli.Stores;

namespace Tessera.Cli.Commands;

/// <summary>
/// Where the administration commands work: the server's stores (<c>--data DIR</c> or
/// <c>--postgres CONNECTION</c>) and, for the commands that touch sessions, <c>--redis</c> when the
/// server keeps its sessions there (<c>Tessera:SessionStore=redis</c>) while its users are in the main store.
/// </summary>
internal sealed class AdminLocation
{
    private const string DefaultRedisPrefix = "tessera:";

    private readonly ServerLocation<ServerStoreAccess> _stores = ServerLocations.AdministrationStores();

    private readonly Option<string?> _redis = new("--redis")
    {
        HelpName = "CONFIGURATION",
        Description = "The Redis of a server with Tessera:SessionStore=redis, as its Tessera:Redis:Configuration (e.g. 127.0.0.1:6379): its sessions are there, not in --data/--postgres.",
    };

    private readonly Option<string> _redisPrefix = new("--redis-prefix")
    {
        HelpName = "PREFIX",
        Description = $"The server's Tessera:Redis:KeyPrefix (default '{DefaultRedisPrefix}').",
        DefaultValueFactory = _ => DefaultRedisPrefix,
    };

    private readonly Option<bool> _redisCluster = new("--redis-cluster")
    {
        Description = "The server runs with Tessera:Redis:Cluster=true (key layout v2 over a Redis Cluster): read and end its sessions in that layout.",
    };

    private readonly bool _touchesSessions;

    private AdminLocation(bool touchesSessions) => _touchesSessions = touchesSessions;

    /// <summary>For commands that read or end sessions: <c>--data</c>/<c>--postgres</c> and <c>--redis</c>.</summary>
    public static AdminLocation WithSessions() => new(touchesSessions: true);

    /// <summary>For commands that change the account only: <c>--data</c>/<c>--postgres</c>.</summary>
    public static AdminLocation AccountsOnly() => new(touchesSessions: false);

    public void AddTo(Command command)
    {
        _stores.AddTo(command);
        if (_touchesSessions)
        {
            command.Options.Add(_redis);
            command.Options.Add(_redisPrefix);
            command.Options.Add(_redisCluster);
        }
    }

    public async Task<AdminAccess> OpenAsync(ParseResult parsed, CliIo io, CancellationToken cancellationToken)
    {
        string? redis = _touchesSessions ? parsed.GetValue(_redis) : null;
        if (redis is null && parsed.GetResult(_redisPrefix) is { Implicit: false })
        {
            throw CliException.Usage("--redis-prefix is for the sessions in Redis: give --redis too");
        }

        if (redis is null && _touchesSessions && parsed.GetValue(_redisCluster))
        {
            throw CliException.Usage("--redis-cluster is for the sessions in Redis: give --redis too");
        }

        ServerStoreAccess stores = await _stores.OpenAsync(parsed, cancellationToken);
        RedisSessionAccess? sessions = null;
        try
        {
            if (redis is not null)
            {
                sessions = await RedisSessionAccess.OpenAsync(redis, parsed.GetValue(_redisPrefix) ?? DefaultRedisPrefix, parsed.GetValue(_redisCluster), io.TimeProvider, cancellationToken);
            }
        }
        catch
        {
            await stores.DisposeAsync();
            throw;
        }

        return AdminAccess.Create(stores, sessions, io);
    }
}
