using System.Runtime.CompilerServices;
using System.Text;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Redis;

/// <summary>
/// The revocation list <see cref="RedisSessionStore"/> writes: a resource server connected to the
/// same Redis (same key prefix) asks it whether a token's <c>sid</c> was revoked. One EXISTS per
/// call; a resource server may be given a Redis user that can only read these keys. As an
/// <see cref="ISessionRevocationSource"/> it also lists every id (SCAN, a page at a time, on every
/// primary) for <see cref="PushedSessionRevocationList"/>'s reload; that needs SCAN and PTTL too.
/// </summary>
public sealed class RedisSessionRevocationList : ISessionRevocationList, ISessionRevocationSource
{
    private const int PageSize = 1000;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly int _database;

    /// <summary>Reads the revocation list in <paramref name="database"/> of <paramref name="redis"/> under <paramref name="keyPrefix"/>, which must be the session store's prefix.</summary>
    public RedisSessionRevocationList(IConnectionMultiplexer redis, string keyPrefix = "tessera:", int database = -1)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _keys = new RedisKeys(keyPrefix);
        _database = database;
    }

    /// <summary>Reads the revocation list of the session store configured by <paramref name="options"/> (its prefix, database and key layout: <see cref="RedisSessionStoreOptions.Cluster"/>).</summary>
    public RedisSessionRevocationList(IConnectionMultiplexer redis, RedisSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _keys = new RedisKeys(options.KeyPrefix, options.Cluster);
        _database = options.Database;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return await RedisCalls.RunAsync(() => _redis.GetDatabase(_database).KeyExistsAsync(_keys.Revoked(sessionId)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ListedRevocation> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string prefix = _keys.Prefix + "revoked:";
        IDatabase database = _redis.GetDatabase(_database);
        foreach (System.Net.EndPoint endpoint in _redis.GetEndPoints())
        {
            IServer server = _redis.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue; // a replica holds a primary's keys again
            }

            if (!server.IsConnected)
            {
                throw new Stores.StoreUnavailableException("A Redis server holding the revocation list is not connected.");
            }

            var page = new List<RedisKey>(PageSize);
            await using IAsyncEnumerator<RedisKey> keys = server.KeysAsync(database.Database, Escape(prefix) + "*", PageSize).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                bool more = await RedisCalls.RunAsync(async () => await keys.MoveNextAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                if (more)
                {
                    page.Add(keys.Current);
                }

                if (page.Count == PageSize || (!more && page.Count > 0))
                {
                    // One pipelined PTTL per key of the page: how long each stays listed.
                    Task<TimeSpan?>[] ttls = [.. page.Select(key => database.KeyTimeToLiveAsync(key))];
                    await RedisCalls.RunAsync(async () => { await Task.WhenAll(ttls).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
                    for (int i = 0; i < page.Count; i++)
                    {
                        string id = ((string)page[i]!)[prefix.Length..];
                        // The cluster layout names it revoked:{sid} (the id is its hash tag).
                        yield return new ListedRevocation(_keys.Cluster && id.Length > 1 && id[0] == '{' && id[^1] == '}' ? id[1..^1] : id, ttls[i].Result);
                    }

                    page.Clear();
                }

                if (!more)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The prefix with SCAN's glob characters escaped.</summary>
    private static string Escape(string prefix)
    {
        var pattern = new StringBuilder(prefix.Length + 4);
        foreach (char c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.ToString();
    }
}
